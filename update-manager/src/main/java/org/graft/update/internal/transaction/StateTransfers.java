package org.graft.update.internal.transaction;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graft.container.StateTransferException;
import org.graft.container.StateTransferResult;

/**
 * Where a state transfer runs. Conversions and transformers run on a thread of their own
 * ({@code graft-state-transfer}), so that one that hangs can be abandoned: its thread is interrupted
 * and replaced, and the update aborts on time. A transfer that only hands objects over runs no code
 * that can hang and runs inline: the hand-off would cost more than the transfer.
 */
final class StateTransfers implements AutoCloseable {
    /** Only touched from the update thread. */
    private ExecutorService thread = newThread();

    List<StateTransferResult> run(Callable<List<StateTransferResult>> transfer, boolean inline, long timeoutMillis)
            throws Exception {
        if (inline) {
            return transfer.call();
        }
        return call(transfer, timeoutMillis, "the state transfer", "");
    }

    /**
     * Runs {@code task} on the transfer thread, abandoning it after {@code timeoutMillis}.
     *
     * @param what names the task in the failure, e.g. "the rehearsal of the state transfer"
     * @param after is appended to the failure's message: what state the update is in
     */
    <T> T call(Callable<T> task, long timeoutMillis, String what, String after) throws StepFailure, InterruptedException {
        Future<T> running = thread.submit(task);
        try {
            return running.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            abandon();
            throw StepFailure.failed(what + " did not finish within " + timeoutMillis
                    + " ms (a transformer that hangs?); it was interrupted" + after, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw StepFailure.failed((cause instanceof StateTransferException ? cause.getMessage()
                    : what + " failed: " + cause) + after, cause);
        } catch (InterruptedException e) {
            running.cancel(true);
            throw e;
        }
    }

    /** The transfer thread is stuck in a transformer: interrupt it and use a fresh one. */
    private void abandon() {
        thread.shutdownNow();
        thread = newThread();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private static ExecutorService newThread() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread transfer = new Thread(task, "graft-state-transfer");
            transfer.setDaemon(true);
            return transfer;
        });
    }
}
