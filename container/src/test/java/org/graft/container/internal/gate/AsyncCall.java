package org.graft.container.internal.gate;

import static org.junit.Assert.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A call run on a thread of its own, with bounded waits for its outcome and for it to be held at a gate. */
final class AsyncCall<T> {
    static final long WAIT_SECONDS = 30;

    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;

    private AsyncCall(String name, Callable<T> call) {
        thread = new Thread(() -> {
            try {
                result = call.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.countDown();
            }
        }, name);
        thread.setDaemon(true);
    }

    static <T> AsyncCall<T> start(String name, Callable<T> call) {
        AsyncCall<T> c = new AsyncCall<>(name, call);
        c.thread.start();
        return c;
    }

    Thread thread() {
        return thread;
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    /** The call's result; fails the test if the call failed or did not end in time. */
    T awaitResult() throws InterruptedException {
        awaitDone();
        if (failure != null) {
            throw new AssertionError("call on " + thread.getName() + " failed", failure);
        }
        return result;
    }

    /** What the call threw; fails the test if it returned or did not end in time. */
    Throwable awaitFailure() throws InterruptedException {
        awaitDone();
        if (failure == null) {
            fail("call on " + thread.getName() + " returned " + result + " but was expected to fail");
        }
        return failure;
    }

    private void awaitDone() throws InterruptedException {
        if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            fail("call on " + thread.getName() + " did not end within " + WAIT_SECONDS + " s; it is at "
                    + stack(thread));
        }
    }

    /** Waits until the call's thread waits at a held gate (parked in CallGate's slow path). */
    void awaitHeldAtGate() {
        awaitHeldAtGate(thread);
    }

    static void awaitHeldAtGate(Thread t) {
        awaitCondition("thread " + t.getName() + " to be held at a gate", () -> isHeldAtGate(t));
    }

    static boolean isHeldAtGate(Thread t) {
        if (t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(CallGate.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Polls (yielding, no sleep) until the condition holds; fails after {@link #WAIT_SECONDS}. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        awaitCondition(what, condition, deadline());
    }

    /** Polls (yielding, no sleep) until the condition holds; fails once {@code deadline} (nanoTime) passed. */
    static void awaitCondition(String what, BooleanSupplier condition, long deadline) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    /** A deadline {@link #WAIT_SECONDS} from now, for a whole test loop. */
    static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    }

    /** Nanoseconds left until the deadline; fails if none are. */
    static long remaining(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            fail("out of time (" + WAIT_SECONDS + " s for the whole loop) at " + what);
        }
        return left;
    }

    static String stack(Thread t) {
        StringBuilder b = new StringBuilder(t.getState().toString());
        for (StackTraceElement frame : t.getStackTrace()) {
            b.append("\n\tat ").append(frame);
        }
        return b.toString();
    }
}
