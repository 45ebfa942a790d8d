package org.graft.evaluation.internal;

import org.apache.karaf.log.core.LogService;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.osgi.framework.ServiceReference;
import org.slf4j.LoggerFactory;

/** Apache Karaf's log service: the history log:display shows lives only in memory. */
final class LogSubject implements Subject {
    private static final String MARKER = "graft-evaluation-marker";

    @Override
    public String filter() {
        return "(objectClass=" + LogService.class.getName() + ")";
    }

    @Override
    public boolean matches(ServiceReference<?> reference) {
        return true;
    }

    @Override
    public void call(Object service) {
        ((LogService) service).getEvents(1).iterator().hasNext();
    }

    @Override
    public void mark(Object service) {
        LoggerFactory.getLogger("org.graft.evaluation").warn(MARKER);
    }

    @Override
    public boolean kept(Object service) {
        for (PaxLoggingEvent event : ((LogService) service).getEvents()) {
            if (MARKER.equals(event.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
