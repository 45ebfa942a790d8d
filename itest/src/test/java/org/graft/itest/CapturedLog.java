package org.graft.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records logged under a logger name while it is open. Graft logs through {@code System.Logger},
 * which in a plain Felix framework ends in {@code java.util.logging}, shared by the whole JVM: so the
 * test sees what the bundles log.
 */
final class CapturedLog implements AutoCloseable {
    /** Held so that the logger (weakly referenced by java.util.logging) keeps its handler. */
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(String name) {
        logger = Logger.getLogger(name);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static CapturedLog of(String name) {
        return new CapturedLog(name);
    }

    /** The records of {@code level} or above whose message contains {@code text}. */
    List<LogRecord> matching(Level level, String text) {
        synchronized (records) {
            return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue() && r.getMessage() != null
                    && r.getMessage().contains(text)).toList();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
