package org.graft.evaluation.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Nonstop callers on one subject, as a consumer would call it: each thread calls the service object
 * the load took when it started (a consumer that looked it up once), so a withdrawal makes calls fail;
 * and a tracker counts the withdrawals a consumer would have seen (a DS consumer with a static
 * reference is restarted at each). One load at a time.
 */
public final class EvaluationLoad {
    private static final AtomicReference<EvaluationLoad> RUNNING = new AtomicReference<>();

    private final Subject subject;
    private final ServiceTracker<Object, Object> tracker;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger withdrawals = new AtomicInteger();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    /** Set before the tracker is closed: closing reports every tracked service as removed, which is no withdrawal. */
    private volatile boolean closing;

    private EvaluationLoad(BundleContext context, Subject subject) throws InvalidSyntaxException {
        this.subject = subject;
        this.tracker = new ServiceTracker<>(context, context.createFilter(subject.filter()), null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                return subject.matches(reference) ? super.addingService(reference) : null;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, Object service) {
                if (!closing) {
                    withdrawals.incrementAndGet();
                }
                super.removedService(reference, service);
            }
        };
    }

    /** Starts {@code count} callers on the service registered now. */
    public static String start(BundleContext context, String subjectName, int count) throws Exception {
        EvaluationLoad load = new EvaluationLoad(context, Subjects.named(subjectName));
        if (!RUNNING.compareAndSet(null, load)) {
            throw new IllegalStateException("a load runs already: stop it first");
        }
        load.tracker.open();
        Object service = load.tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
        if (service == null) {
            RUNNING.set(null);
            load.tracker.close();
            throw new IllegalStateException("no " + subjectName + " service within 30 s (" + load.subject.filter() + ")");
        }
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> load.callUntilStopped(service), "graft-eval-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return "load started: " + count + " threads on " + describe(load.tracker.getServiceReference());
    }

    private void callUntilStopped(Object service) {
        while (!stop.get()) {
            try {
                subject.call(service);
                calls.incrementAndGet();
            } catch (Throwable t) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, t);
            }
        }
    }

    /** Stops the load; one line of key=value figures. */
    public static String stop() throws InterruptedException {
        EvaluationLoad load = RUNNING.getAndSet(null);
        if (load == null) {
            throw new IllegalStateException("no load runs");
        }
        load.stop.set(true);
        for (Thread thread : load.threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        load.closing = true;
        load.tracker.close();
        Throwable first = load.firstFailure.get();
        return "figures calls=" + load.calls.get() + " failed=" + load.failed.get() + " withdrawn=" + load.withdrawals.get()
                + (first == null ? "" : " first_failure=\"" + String.valueOf(first).replace('"', '\'').replace('\n', ' ') + "\"");
    }

    /** Runs {@code action} on the subject's service registered now. */
    public static String onService(BundleContext context, String subjectName, ServiceAction action) throws Exception {
        Subject subject = Subjects.named(subjectName);
        ServiceReference<?>[] references = context.getServiceReferences((String) null, subject.filter());
        if (references != null) {
            for (ServiceReference<?> reference : references) {
                if (subject.matches(reference)) {
                    Object service = context.getService(reference);
                    try {
                        return action.run(subject, service) + " on " + describe(reference);
                    } finally {
                        context.ungetService(reference);
                    }
                }
            }
        }
        throw new IllegalStateException("no " + subjectName + " service is registered (" + subject.filter() + ")");
    }

    /** What {@link #onService} does with the service. */
    public interface ServiceAction {
        String run(Subject subject, Object service) throws Exception;
    }

    private static String describe(ServiceReference<?> reference) {
        Object version = reference.getProperty("graft.version");
        return "service " + reference.getProperty("service.id") + " (" + (version != null ? "managed, version " + version
                : "unmanaged, bundle " + reference.getBundle().getSymbolicName() + " " + reference.getBundle().getVersion()) + ")";
    }
}
