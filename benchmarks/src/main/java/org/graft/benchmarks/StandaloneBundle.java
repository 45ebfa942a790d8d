package org.graft.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A stand-in {@link Bundle} for running Apache Aries Proxy outside OSGi. Aries only asks a client
 * bundle for its state and, through {@code adapt(BundleWiring.class).getClassLoader()}, for the class
 * loader its proxy classes are defined under; both are answered here, everything else is unsupported.
 */
final class StandaloneBundle {
    private StandaloneBundle() {
    }

    static Bundle of(ClassLoader loader) {
        Bundle[] bundle = new Bundle[1];
        BundleWiring wiring = (BundleWiring) Proxy.newProxyInstance(StandaloneBundle.class.getClassLoader(),
                new Class<?>[] {BundleWiring.class}, handler((proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getClassLoader": return loader;
                        case "getBundle": return bundle[0];
                        case "isCurrent":
                        case "isInUse": return Boolean.TRUE;
                        default: throw new UnsupportedOperationException("BundleWiring." + method.getName());
                    }
                }));
        bundle[0] = (Bundle) Proxy.newProxyInstance(StandaloneBundle.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, handler((proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getState": return Bundle.ACTIVE;
                        case "getBundleId": return 0L;
                        case "getSymbolicName": return "org.graft.benchmarks";
                        case "getVersion": return Version.emptyVersion;
                        case "loadClass": return loader.loadClass((String) args[0]);
                        case "getResource": return loader.getResource((String) args[0]);
                        case "adapt": return args[0] == BundleWiring.class ? wiring : null;
                        default: throw new UnsupportedOperationException("Bundle." + method.getName());
                    }
                }));
        return bundle[0];
    }

    /** Answers Object's methods by identity (Aries keys a cache by the wiring) and the rest with {@code rest}. */
    private static InvocationHandler handler(InvocationHandler rest) {
        return (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "hashCode": return System.identityHashCode(proxy);
                    case "equals": return proxy == args[0];
                    case "toString": return "standalone " + proxy.getClass().getInterfaces()[0].getSimpleName();
                    default: throw new UnsupportedOperationException(method.toString());
                }
            }
            return rest.invoke(proxy, method, args);
        };
    }
}
