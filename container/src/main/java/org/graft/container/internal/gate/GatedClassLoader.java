package org.graft.container.internal.gate;

/**
 * The class loader of a generated proxy class, which knows the gate its proxy goes through. Lets
 * {@link NestedCalls} tell, from a stack frame's class alone, which gate a running call passed.
 */
public interface GatedClassLoader {
    /** The gate of the proxy class this loader defined. */
    CallGate gate();
}
