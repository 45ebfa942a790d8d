package org.graft.container.internal.proxy;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.graft.container.internal.gate.CallGate;

/** Creates the proxy object of a managed service: one generated class, in a loader of its own. */
public final class ProxyFactory {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ProxyFactory() {
    }

    /**
     * @param interfaces the service interfaces; each must be a public interface
     * @throws IllegalArgumentException naming the interface that cannot be proxied
     */
    public static Object create(List<Class<?>> interfaces, CallGate gate) {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("a proxy needs at least one interface");
        }
        List<ClassLoader> loaders = new ArrayList<>();
        for (Class<?> type : interfaces) {
            if (!type.isInterface()) {
                throw new IllegalArgumentException(type.getName() + " is a class, not an interface: "
                        + gate.serviceName() + " can only be managed if it is registered under interfaces");
            }
            if (!Modifier.isPublic(type.getModifiers())) {
                throw new IllegalArgumentException(type.getName() + " is not public: a proxy for "
                        + gate.serviceName() + " cannot implement it");
            }
            ClassLoader loader = type.getClassLoader();
            if (loader != null && !loaders.contains(loader)) {
                loaders.add(loader);
            }
        }
        String className = "org.graft.proxy." + interfaces.get(0).getSimpleName() + "$GraftProxy" + SEQUENCE.incrementAndGet();
        ProxyClassLoader loader = new ProxyClassLoader("graft-proxy:" + gate.serviceName(),
                ProxyFactory.class.getClassLoader(), loaders, gate);
        Class<?> proxyClass = loader.define(className, ProxyClassGenerator.generate(className, interfaces));
        try {
            Object proxy = proxyClass.getConstructor(CallGate.class).newInstance(gate);
            gate.attachProxy(proxyClass, MethodHandles.publicLookup()
                    .findStaticVarHandle(proxyClass, ProxyClassGenerator.DIRECT_FIELD, Object.class));
            return proxy;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the generated proxy for " + gate.serviceName() + " failed to construct", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the generated proxy for " + gate.serviceName() + " cannot be instantiated", e);
        }
    }
}
