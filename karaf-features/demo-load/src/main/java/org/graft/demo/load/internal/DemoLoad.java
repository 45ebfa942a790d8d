package org.graft.demo.load.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

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
    /** How long a report waits for the counter a consumer is meant to reach to be registered. */
    static final long COUNTER_WAIT_MILLIS = 10_000L;
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
        return start(threads, keyPrefix, Via.COUNTER, false);
    }

    /**
     * Like {@link #start(int, String)}, through the consumer {@code via} names (see {@link Via}): the
     * consumer's service taken once at the start, or, with {@code lookupEachCall}, the one registered at
     * each call (a call finding none fails).
     *
     * @throws IllegalStateException if a load is running, or the service to call is not registered
     */
    public LoadReport start(int threads, String keyPrefix, Via via, boolean lookupEachCall) {
        if (lookupEachCall && via == Via.COUNTER) {
            throw new IllegalArgumentException("Looking the service up at each call is for loads through a consumer (--via)");
        }
        Run previous = current.get();
        if (previous != null && previous.load.isRunning()) {
            throw new IllegalStateException("The load is running already (" + previous.load.keys().size()
                    + " threads): graft-demo:load-stop first");
        }
        ServiceReference<?> reference = reference(via);
        Run run = new Run(reference, threads, keyPrefix, via, lookupEachCall);
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

    private ServiceReference<?> reference(Via via) {
        if (via == Via.COUNTER) {
            ServiceReference<CounterService> reference = context.getServiceReference(CounterService.class);
            if (reference == null) {
                throw new IllegalStateException("No " + CounterService.class.getName() + " is registered: start the counter first");
            }
            return reference;
        }
        ServiceReference<?>[] references;
        try {
            references = context.getServiceReferences((String) null, via.consumerFilter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("Filter " + via.consumerFilter, e);
        }
        if (references == null) {
            throw new IllegalStateException("No consumer service matches " + via.consumerFilter + ": install and start it first");
        }
        if (references.length > 1) {
            throw new IllegalStateException(references.length + " consumer services match " + via.consumerFilter);
        }
        return references[0];
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
        final ServiceReference<?> reference;
        final Via via;
        final CounterLoad load;
        // Through a consumer only: the counter it is meant to reach, and the consumer's activations at the start.
        private ServiceTracker<CounterService, CounterService> counterTracker;
        private ServiceTracker<CounterConsumer, CounterConsumer> consumerTracker;
        final boolean lookupEachCall;
        private CounterConsumer heldConsumer;
        private ThroughConsumer through;
        private int activationsAtStart = -1;
        final AtomicInteger modified = new AtomicInteger();
        // Set once, by the framework's UNREGISTERING event: the load keeps calling the object it has.
        volatile boolean unregistered;

        Run(ServiceReference<?> reference, int threads, String keyPrefix, Via via, boolean lookupEachCall) {
            this.reference = reference;
            this.lookupEachCall = lookupEachCall;
            this.via = via;
            try {
                context.addServiceListener(this, "(" + Constants.SERVICE_ID + "=" + reference.getProperty(Constants.SERVICE_ID) + ")");
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException("Filter on service.id " + reference.getProperty(Constants.SERVICE_ID), e);
            }
            Object service = context.getService(reference);
            if (service == null) {
                context.removeServiceListener(this);
                throw new IllegalStateException("The service.id " + reference.getProperty(Constants.SERVICE_ID)
                        + " went away before the load could start: start again");
            }
            try {
                CounterService counter;
                if (via == Via.COUNTER) {
                    counter = (CounterService) service;
                } else {
                    counterTracker = new ServiceTracker<>(context, context.createFilter(via.counterFilter), null);
                    counterTracker.open();
                    CounterConsumer held = (CounterConsumer) service;
                    heldConsumer = held;
                    if (lookupEachCall) {
                        consumerTracker = new ServiceTracker<>(context, context.createFilter(via.consumerFilter), null);
                        consumerTracker.open();
                        through = new ThroughConsumer(this::registeredConsumer, this::registeredCounter);
                    } else {
                        through = new ThroughConsumer(() -> held, this::registeredCounter);
                    }
                    activationsAtStart = held.activations();
                    counter = through;
                }
                load = new CounterLoad(counter, threads, keyPrefix);
            } catch (InvalidSyntaxException e) {
                release();
                throw new IllegalStateException("Filter " + via.counterFilter, e);
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
            report.via = via.label() + (lookupEachCall ? "-each-call" : "");
            if (through != null) {
                report.consumerActivationsAtStart = activationsAtStart;
                // Each sample consumer counts its activations in a static field: the instance taken at
                // the start tells the total even after its component was re-created.
                report.consumerActivationsNow = heldConsumer.activations();
                report.registeredCounterVersion = through.registeredVersion();
            }
            return report;
        }

        /** The consumer registered now; a call finding none fails (not waiting: that is what damping would add). */
        private CounterConsumer registeredConsumer() {
            CounterConsumer consumer = consumerTracker.getService();
            if (consumer == null) {
                throw new IllegalStateException("No consumer service matches " + via.consumerFilter);
            }
            return consumer;
        }

        /** The counter registered now that the consumer is meant to reach, waiting (bounded) for one. */
        private CounterService registeredCounter() {
            CounterService counter;
            try {
                counter = counterTracker.waitForService(COUNTER_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + via.counterFilter, e);
            }
            if (counter == null) {
                throw new IllegalStateException("No service matches " + via.counterFilter + " after " + COUNTER_WAIT_MILLIS + " ms");
            }
            return counter;
        }

        void release() {
            if (counterTracker != null) {
                counterTracker.close();
            }
            if (consumerTracker != null) {
                consumerTracker.close();
            }
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
