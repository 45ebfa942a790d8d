package org.graft.update.internal.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.update.internal.config.WatchFolderSettings;
import org.osgi.framework.BundleContext;

/** Starts, restarts or stops the watch folder as its settings change. */
public final class WatchFolderControl implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.update.watch");

    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdateManager updates;
    /** Guarded by this: configuration updates and the bundle's stop come from different threads. */
    private WatchFolderSettings settings;
    private WatchFolder running;

    public WatchFolderControl(BundleContext context, ServiceContainer container, UpdateManager updates) {
        this.context = context;
        this.container = container;
        this.updates = updates;
    }

    public synchronized void apply(WatchFolderSettings next) {
        if (next.equals(settings)) {
            return;
        }
        close();
        settings = next;
        if (next.folder() == null) {
            return;
        }
        WatchFolder folder = new WatchFolder(next.folder(), next.intervalMillis(), context, container, updates);
        try {
            folder.start();
            running = folder;
        } catch (IOException e) {
            folder.close();
            LOG.log(Level.ERROR, "Graft cannot watch " + next.folder() + ": " + e + ". No watch folder runs; fix the folder or"
                    + " the configuration " + WatchFolderSettings.PID + ".", e);
        }
    }

    @Override
    public synchronized void close() {
        if (running != null) {
            running.close();
            running = null;
        }
        settings = null;
    }
}
