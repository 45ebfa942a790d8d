package org.graft.update.internal.transaction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What an aborted update must undo, pushed as each step changes something and run in reverse: resume
 * the suspended instances before the held calls reach them again, release the held calls, then remove
 * the installed next versions.
 */
final class Undo {
    /** One undo action. */
    interface Action {
        void run() throws Exception;
    }

    private record Named(String what, Action action) {
    }

    private final Deque<Named> actions = new ArrayDeque<>();

    void push(String what, Action action) {
        actions.push(new Named(what, action));
    }

    /**
     * Runs every action, the last pushed first, each even if an earlier one failed.
     *
     * @return what could not be undone, one sentence each, naming the action and the cause
     */
    List<String> runAll() {
        List<String> problems = new ArrayList<>();
        while (!actions.isEmpty()) {
            Named next = actions.pop();
            try {
                next.action().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(next.what() + " was interrupted");
            } catch (Exception e) {
                problems.add(next.what() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return problems;
    }
}
