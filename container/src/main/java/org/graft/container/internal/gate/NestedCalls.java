package org.graft.container.internal.gate;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Tells whether the current thread is already inside a call that passed a gate which is now held.
 *
 * <p>Such a thread keeps that gate's drain from completing, so holding it again would deadlock the
 * update; letting it pass is safe because its state cannot have been captured yet (capture waits for
 * the drain). A thread inside a managed call whose gate is not held is held like any other: it does
 * not delay the drain. Only the slow path asks, so walking the stack costs nothing on the fast path.
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
