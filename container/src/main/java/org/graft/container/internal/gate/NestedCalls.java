package org.graft.container.internal.gate;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Tells whether the current thread is already inside a call that passed a gate which is now held: such
 * a thread passes the hold (why that is needed and safe: {@link CallGate}'s implementation notes). Only
 * the slow path asks, so walking the stack costs nothing on the fast path.
 */
final class NestedCalls {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private NestedCalls() {
    }

    static boolean insideHeldCall() {
        return WALKER.walk(NestedCalls::anyOuterProxyFrameHeld);
    }

    private static boolean anyOuterProxyFrameHeld(Stream<StackFrame> frames) {
        boolean currentCallSeen = false;
        for (Iterator<StackFrame> it = frames.iterator(); it.hasNext();) {
            ClassLoader loader = it.next().getDeclaringClass().getClassLoader();
            if (loader instanceof GatedClassLoader) {
                // The innermost proxy frame is the call now asking to enter; the outer ones are running.
                if (currentCallSeen && ((GatedClassLoader) loader).gate().isHeld()) {
                    return true;
                }
                currentCallSeen = true;
            }
        }
        return false;
    }
}
