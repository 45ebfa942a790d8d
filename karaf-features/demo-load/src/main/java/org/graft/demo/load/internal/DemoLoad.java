package org.graft.demo.load.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.graft.sample.api.CounterService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * The bundle's load: at most one {@link CounterLoad} running at a time, on the CounterService that
 * consumers see, taken once from the registry through this bundle's context and kept for the whole run.
 * The commands drive it; the activator closes it, so the threads end when the bundle stops.
 */
public final class DemoLoad {
    /** How long the bundle's stop waits for the load threads before interrupting them. */
    static final long CLOSE_TIMEOUT_MILLIS = 10_000L;
    /** The service property Graft's container puts on the proxies it registers. */
    static final String GRAFT_MANAGED = "graft.managed";
    private static final System.Logger LOG = System.getLogger("org.graft.demo.load");

    private final BundleContext context;
    // The running load, or the last one, kept after its stop for its report and its keys; replaced
    // only by a new start (compare-and-set, so that two starts cannot both win), cleared by close.
    private final AtomicReference<Run> current = new AtomicReference<>();
    private volatile boolean closed;

    public DemoLoad(BundleContext context) {
        this.context = context;
    }

    /**
     * Takes the CounterService consumers see and starts {@code threads} threads on it.
     *
     * @return the report of the load just started
     * @throws IllegalStateException if a load is running, or no CounterService is registered
     */
    public LoadReport start(int threads, String keyPrefix) {
        Run previous = current.get();
        if (previous != null && previous.load.isRunning()) {
            throw new IllegalStateException("The load is running already (" + previous.load.keys().size()
                    + " threads): graft-demo:load-stop first");
        }
        ServiceReference<CounterService> reference = context.getServiceReference(CounterService.class);
        if (reference == null) {
            throw new IllegalStateException("No " + CounterService.class.getName() + " is registered: start the counter first");
        }
        Run run = new Run(reference, threads, keyPrefix);
        if (!current.compareAndSet(previous, run)) {
            run.release();
            throw new IllegalStateException("Another graft-demo:load-start ran at the same time: see graft-demo:load-report");
        }
        try {
            run.load.start();
        } catch (RuntimeException e) {
            current.compareAndSet(run, previous);
            run.release();
            throw e;
        }
        if (previous != null) {
            previous.release();
        }
        if (closed) {
            // The bundle stopped while this start ran: close() may have missed this run.
            close();
            throw new IllegalStateException("The demo-load bundle is stopping: the load was stopped again");
        }
        return run.report();
    }

    /**
     * Stops the load and waits at most {@code timeoutMillis} for its threads.
     *
     * @throws IllegalStateException if no load was started, or a thread did not stop in time (naming it)
     */
    public LoadReport stop(long timeoutMillis) throws InterruptedException {
        Run run = lastRun();
        run.load.stop(timeoutMillis, TimeUnit.MILLISECONDS);
        return run.report();
    }

    /** The running or last load's report; null if no load was started. */
    public LoadReport report() {
        Run run = current.get();
        return run == null ? null : run.report();
    }

    /** The keys of the running or last load; empty if none was started. */
    public List<String> keys() {
        Run run = current.get();
        return run == null ? List.of() : run.load.keys();
    }

    /** Stops the load (bounded; then interrupts what is left), and lets go of the counter. */
    void close() {
        closed = true;
        Run run = current.getAndSet(null);
        if (run == null) {
            return;
        }
        try {
            run.load.stop(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, e.getMessage() + " Interrupting " + run.load.interruptRemaining(), e);
        } catch (InterruptedException e) {
            LOG.log(Level.WARNING, "Interrupted while stopping the load; interrupting " + run.load.interruptRemaining(), e);
            Thread.currentThread().interrupt();
        } finally {
            run.release();
        }
    }

    private Run lastRun() {
        Run run = current.get();
        if (run == null) {
            throw new IllegalStateException("No load was started: graft-demo:load-start first");
        }
        return run;
    }

    /** One load, the registration it calls, and what the registry said about it meanwhile. */
    private final class Run implements ServiceListener {
        final ServiceReference<CounterService> reference;
        final CounterLoad load;
        final AtomicInteger modified = new AtomicInteger();
        // Set once, by the framework's UNREGISTERING event: the load keeps calling the object it has.
        volatile boolean unregistered;

        Run(ServiceReference<CounterService> reference, int threads, String keyPrefix) {
            this.reference = reference;
            try {
                context.addServiceListener(this, "(" + Constants.SERVICE_ID + "=" + reference.getProperty(Constants.SERVICE_ID) + ")");
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException("Filter on service.id " + reference.getProperty(Constants.SERVICE_ID), e);
            }
            CounterService counter = context.getService(reference);
            if (counter == null) {
                context.removeServiceListener(this);
                throw new IllegalStateException("The " + CounterService.class.getName() + " service.id "
                        + reference.getProperty(Constants.SERVICE_ID) + " went away before the load could start: start again");
            }
            try {
                load = new CounterLoad(counter, threads, keyPrefix);
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            if (event.getType() == ServiceEvent.MODIFIED) {
                modified.incrementAndGet();
            } else if (event.getType() == ServiceEvent.UNREGISTERING) {
                unregistered = true;
            }
        }

        LoadReport report() {
            LoadReport report = load.report();
            report.serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
            report.serviceManaged = Boolean.parseBoolean(String.valueOf(reference.getProperty(GRAFT_MANAGED)));
            report.serviceModifiedEvents = modified.get();
            report.serviceUnregistered = unregistered;
            return report;
        }

        void release() {
            try {
                context.removeServiceListener(this);
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // This bundle's context is no longer valid (the bundle stopped): the framework has
                // removed its listeners and released every service it used already.
            }
        }
    }
}
