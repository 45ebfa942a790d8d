package org.graft.container.internal.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the threads that may be in an uncounted call of given proxy classes: those with a frame of one
 * of them at {@link CallGate#DIRECT_PATH_LINE}. Why that finds every such call once the proxies are
 * unlinked: {@link CallGate}'s implementation notes.
 */
final class UncountedCalls {
    private UncountedCalls() {
    }

    /** Every live thread that has such a frame now, with the proxy class it is in. One safepoint. */
    static Map<Thread, String> running(Set<String> proxyClasses) {
        Map<Thread, String> running = new LinkedHashMap<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            String inside = directFrame(thread.getValue(), proxyClasses);
            if (inside != null) {
                running.put(thread.getKey(), inside);
            }
        }
        return running;
    }

    /**
     * Of {@code previous}, the threads that still have such a frame. A thread seen without one is never
     * looked at again: its later calls take the counted path.
     */
    static Map<Thread, String> stillRunning(Map<Thread, String> previous, Set<String> proxyClasses) {
        Map<Thread, String> running = new LinkedHashMap<>();
        for (Thread thread : previous.keySet()) {
            // A thread that ended returned from every call; one that is alive shows where it is.
            String inside = thread.isAlive() ? directFrame(thread.getStackTrace(), proxyClasses) : null;
            if (inside != null) {
                running.put(thread, inside);
            }
        }
        return running;
    }

    private static String directFrame(StackTraceElement[] frames, Set<String> proxyClasses) {
        for (StackTraceElement frame : frames) {
            if (frame.getLineNumber() == CallGate.DIRECT_PATH_LINE && proxyClasses.contains(frame.getClassName())) {
                return frame.getClassName();
            }
        }
        return null;
    }

    /** The threads, named, each with the service whose call it is in, for a message. */
    static List<String> describe(Map<Thread, String> running, Map<String, String> serviceOfProxyClass) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Thread, String> thread : running.entrySet()) {
            names.add("thread \"" + thread.getKey().getName() + "\" in a call of "
                    + serviceOfProxyClass.getOrDefault(thread.getValue(), thread.getValue()));
        }
        return names;
    }
}
