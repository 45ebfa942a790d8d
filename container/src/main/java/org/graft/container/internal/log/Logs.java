package org.graft.container.internal.log;

import java.lang.System.Logger;
import java.util.ResourceBundle;
import java.text.MessageFormat;

import org.osgi.framework.BundleContext;

/**
 * This bundle's loggers. Where the OSGi Log Service runs (Karaf's pax-logging), a record goes through the
 * logger factory this bundle gets from it, so the log names this bundle as its origin and Karaf's
 * {@code log:set} levels apply to the logger's name; elsewhere (a plain framework) it goes to
 * {@code System.Logger}. The Log Service package is imported dynamically and used only from
 * {@link OsgiLog}. The package is not exported: each Graft bundle that logs contains its own copy (bnd's
 * {@code -conditionalpackage}), with its own binding to its own bundle context.
 */
public final class Logs {
    private static volatile OsgiLog osgi;

    private Logs() {
    }

    /** From the activator: routes records through the Log Service from now on, where it runs. */
    public static void bind(BundleContext context) {
        osgi = OsgiLog.available() ? new OsgiLog(context) : null;
    }

    /** From the activator, on stop. */
    public static void unbind() {
        OsgiLog bound = osgi;
        osgi = null;
        if (bound != null) {
            bound.close();
        }
    }

    public static Logger get(String name) {
        return new Routed(name);
    }

    /** A System.Logger that asks, at each record, where records go now. */
    private static final class Routed implements Logger {
        private final String name;
        private final Logger fallback;

        Routed(String name) {
            this.name = name;
            this.fallback = System.getLogger(name);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            OsgiLog bound = osgi;
            return bound != null ? bound.isLoggable(name, level) : fallback.isLoggable(level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            OsgiLog bound = osgi;
            if (bound == null || !bound.log(name, level, message, thrown)) {
                fallback.log(level, bundle, message, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            OsgiLog bound = osgi;
            String message = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
            if (bound == null || !bound.log(name, level, message, null)) {
                fallback.log(level, bundle, format, params);
            }
        }
    }
}
