package org.graft.container.internal.proxy;

import java.util.List;

import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.GatedClassLoader;

/**
 * Defines one proxy class. Sees the service interfaces (through their own loaders, so through the
 * API bundles that export them) and the container's gate classes, and nothing of any provider
 * bundle: the proxy outlives every implementation version without pinning one in memory.
 */
final class ProxyClassLoader extends ClassLoader implements GatedClassLoader {
    private static final String GATE_PACKAGE = CallGate.class.getPackageName() + ".";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader containerLoader;
    private final List<ClassLoader> interfaceLoaders;
    private final CallGate gate;

    ProxyClassLoader(String name, ClassLoader containerLoader, List<ClassLoader> interfaceLoaders, CallGate gate) {
        super(name, ClassLoader.getPlatformClassLoader());
        this.containerLoader = containerLoader;
        this.interfaceLoaders = List.copyOf(interfaceLoaders);
        this.gate = gate;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith(GATE_PACKAGE)) {
            return containerLoader.loadClass(name);
        }
        for (ClassLoader loader : interfaceLoaders) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException notThere) {
                // Expected: the name belongs to another interface's bundle; try the next loader.
            }
        }
        throw new ClassNotFoundException(name + " is visible to none of the proxied interfaces' class loaders");
    }

    Class<?> define(String name, byte[] bytes) {
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public CallGate gate() {
        return gate;
    }
}
