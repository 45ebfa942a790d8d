package org.graft.update.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread ({@code graft-update}) on which every update, rollback, dry run and journal recovery
 * runs, one after the other, so that they never overlap; whoever asks for one waits for it.
 */
final class UpdateThread implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> new Thread(task, "graft-update"));

    /** Queues {@code task} without waiting for it. */
    void submit(Runnable task) {
        thread.submit(task);
    }

    /**
     * Runs {@code task} on the update thread and waits for it. An interrupt does not end the wait: an
     * update is bounded by its timeouts and cannot be left half-done, so the caller waits for it and
     * gets the interrupt back afterwards.
     */
    <T> T call(Callable<T> task) {
        Future<T> future = thread.submit(task);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the update thread failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
