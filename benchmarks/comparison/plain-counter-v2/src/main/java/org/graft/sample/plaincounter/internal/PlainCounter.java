package org.graft.sample.plaincounter.internal;

import org.graft.sample.api.CounterService;
import org.graft.sample.counter.internal.CounterServiceImpl;
import org.osgi.service.component.annotations.Component;

/**
 * The Graft counter's v2 implementation as an ordinary DS component of its own name, ranked below
 * the managed counter so that unfiltered look-ups of CounterService still find Graft's.
 */
@Component(name = "org.graft.sample.plaincounter", service = CounterService.class, property = "service.ranking:Integer=-1")
public class PlainCounter extends CounterServiceImpl {
}
