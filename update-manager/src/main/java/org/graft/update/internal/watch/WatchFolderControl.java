package org.graft.update.internal.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Supplier;

import org.graft.container.ServiceContainer;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.config.WatchFolderSettings;
import org.osgi.framework.BundleContext;

/** Starts, restarts or stops the watch folder as its settings change. */
public final class WatchFolderControl implements AutoCloseable {
    private static final System.Logger LOG = Logs.get("org.graft.update.watch");

    private final BundleContext context;
    private final ServiceContainer container;
    private final UpdateManager updates;
    private final Supplier<JarPolicy> jarPolicy;
    private final Supplier<List<UpdateReportDTO>> interruptedUpdates;
    /** Guarded by this: configuration updates and the bundle's stop come from different threads. */
    private WatchFolderSettings settings;
    private WatchFolder running;

    /**
     * @param jarPolicy which jars are read, as configured now
     * @param interruptedUpdates the updates recovery resolved at this start, once (their jars are set aside)
     */
    public WatchFolderControl(BundleContext context, ServiceContainer container, UpdateManager updates, Supplier<JarPolicy> jarPolicy,
            Supplier<List<UpdateReportDTO>> interruptedUpdates) {
        this.context = context;
        this.container = container;
        this.updates = updates;
        this.jarPolicy = jarPolicy;
        this.interruptedUpdates = interruptedUpdates;
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
        WatchFolder folder = new WatchFolder(next, context, container, updates, jarPolicy, interruptedUpdates);
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
