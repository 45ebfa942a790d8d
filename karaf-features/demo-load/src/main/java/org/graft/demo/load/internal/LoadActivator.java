package org.graft.demo.load.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Offers the bundle's {@link DemoLoad} to its commands, and stops the load when the bundle stops. */
public final class LoadActivator implements BundleActivator {
    private DemoLoad load;
    private ServiceRegistration<DemoLoad> registration;

    @Override
    public void start(BundleContext context) {
        load = new DemoLoad(context);
        registration = context.registerService(DemoLoad.class, load, null);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        load.close();
    }
}
