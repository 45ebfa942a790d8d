package org.graft.sample.greeting.internal;

import org.graft.sample.api.GreetingService;
import org.graft.transformer.Managed;
import org.osgi.service.component.annotations.Component;

/** The second greeting: only the wording changed. Stateless: an update only swaps the code. */
@Managed
@Component(name = "org.graft.sample.greeting", service = GreetingService.class)
public class GreetingServiceImpl implements GreetingService {

    @Override
    public String greet(String name) {
        return "Hi, " + name + "!";
    }

    @Override
    public String version() {
        return "2";
    }
}
