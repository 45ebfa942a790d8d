package org.graft.container.internal.log;

import java.lang.System.Logger.Level;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/** The OSGi Log Service side of {@link Logs}; loaded only where its package can be. */
final class OsgiLog {
    private static final String FACTORY = "org.osgi.service.log.LoggerFactory";

    private final ServiceTracker<LoggerFactory, LoggerFactory> factories;

    OsgiLog(BundleContext context) {
        factories = new ServiceTracker<>(context, LoggerFactory.class, null);
        factories.open();
    }

    static boolean available() {
        try {
            Class.forName(FACTORY, false, OsgiLog.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    boolean isLoggable(String name, Level level) {
        LoggerFactory factory = factories.getService();
        if (factory == null) {
            return true;
        }
        org.osgi.service.log.Logger logger = factory.getLogger(name);
        switch (level) {
        case ERROR:
            return logger.isErrorEnabled();
        case WARNING:
            return logger.isWarnEnabled();
        case INFO:
            return logger.isInfoEnabled();
        case DEBUG:
            return logger.isDebugEnabled();
        default:
            return logger.isTraceEnabled();
        }
    }

    /** @return false if no logger factory serves now (the caller falls back) */
    boolean log(String name, Level level, String message, Throwable thrown) {
        LoggerFactory factory = factories.getService();
        if (factory == null) {
            return false;
        }
        org.osgi.service.log.Logger logger = factory.getLogger(name);
        // The Log Service takes a trailing Throwable argument as the record's exception.
        Object[] cause = thrown == null ? new Object[0] : new Object[] {thrown};
        switch (level) {
        case ERROR:
            logger.error(message, cause);
            break;
        case WARNING:
            logger.warn(message, cause);
            break;
        case INFO:
            logger.info(message, cause);
            break;
        case DEBUG:
            logger.debug(message, cause);
            break;
        case OFF:
            break;
        default:
            logger.trace(message, cause);
            break;
        }
        return true;
    }

    void close() {
        factories.close();
    }
}
