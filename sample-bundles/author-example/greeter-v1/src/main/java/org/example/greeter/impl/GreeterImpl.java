package org.example.greeter.impl;

import java.util.concurrent.ConcurrentHashMap;

import org.example.greeter.Greeter;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/** Version 1: a count per name. */
@Managed
@Component(name = "org.example.greeter", service = Greeter.class)
public class GreeterImpl implements Greeter {
    // The state Graft carries to the next version (final works: Graft sets the field reflectively).
    @State
    private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

    @Override
    public String greet(String name) {
        counts.merge(name, 1L, Long::sum);
        return "Hello, " + name;
    }

    @Override
    public long greeted(String name) {
        return counts.getOrDefault(name, 0L);
    }

    @Override
    public String version() {
        return "1";
    }
}
