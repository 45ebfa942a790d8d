package org.graft.update.command;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.apache.karaf.shell.api.console.Session;

/**
 * Flushes the terminal of a Karaf session, so that a line printed now is seen now. On Karaf's local
 * console a command's System.out reaches jline's buffered terminal output through gogo's channel
 * streams, which pass no flush on: without this, every line of a long command shows at its end
 * (ssh sessions flush by themselves). jline is reached by reflection, through its public
 * {@code org.jline.terminal.Terminal} interface, so that this bundle does not import it.
 */
final class TerminalFlush {
    private static final System.Logger LOG = System.getLogger("org.graft.update.command");
    /** The session variable under which Karaf keeps the session's jline terminal. */
    private static final String JLINE_TERMINAL = ".jline.terminal";

    private final Object terminal;
    private Method flush;

    TerminalFlush(Session session) {
        terminal = session == null ? null : session.get(JLINE_TERMINAL);
        flush = terminal == null ? null : flushMethod(terminal.getClass());
    }

    void flush() {
        if (flush == null) {
            return;
        }
        try {
            flush.invoke(terminal);
        } catch (IllegalAccessException | InvocationTargetException e) {
            // the lines still show, at the command's end; say why once and stop trying
            LOG.log(System.Logger.Level.WARNING, "Graft cannot flush the console's terminal, so a dsu command's lines may"
                    + " show only when it ends: " + e, e);
            flush = null;
        }
    }

    private static Method flushMethod(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                Method found = flushOfTerminalInterface(implemented);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Method flushOfTerminalInterface(Class<?> type) {
        if (type.getName().equals("org.jline.terminal.Terminal")) {
            try {
                return type.getMethod("flush");
            } catch (NoSuchMethodException e) {
                return null; // a jline without it: nothing to flush with
            }
        }
        for (Class<?> parent : type.getInterfaces()) {
            Method found = flushOfTerminalInterface(parent);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
