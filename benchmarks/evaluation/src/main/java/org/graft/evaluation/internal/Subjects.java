package org.graft.evaluation.internal;

/** The subjects by name; a subject's class is loaded only when it is named. */
public final class Subjects {
    private Subjects() {
    }

    public static Subject named(String name) {
        switch (name) {
        case "mime":
            return new MimeSubject();
        case "log":
            return new LogSubject();
        case "list":
            return new ListSubject();
        default:
            throw new IllegalArgumentException("no subject " + name + ": mime, log or list");
        }
    }
}
