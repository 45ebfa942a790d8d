package org.example.greeter.impl;

import java.util.concurrent.ConcurrentHashMap;

import org.example.greeter.Greeter;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.graft.transformer.UpgradeFrom;
import org.osgi.service.component.annotations.Component;

/** Version 2: visits per name; the transformer carries version 1's counts over (and back down). */
@Managed
@UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToVisits.class)
@Component(name = "org.example.greeter", service = Greeter.class)
public class GreeterImpl implements Greeter {
    @State
    private final ConcurrentHashMap<String, Visits> visits = new ConcurrentHashMap<>();

    @Override
    public String greet(String name) {
        Visits now = visits.compute(name, (key, before) -> before == null ? new Visits(1, System.currentTimeMillis())
                : before.next(System.currentTimeMillis()));
        return now.count() == 1 ? "Welcome, " + name : "Welcome back, " + name + " (visit " + now.count() + ")";
    }

    @Override
    public long greeted(String name) {
        Visits known = visits.get(name);
        return known == null ? 0L : known.count();
    }

    @Override
    public String version() {
        return "2";
    }
}
