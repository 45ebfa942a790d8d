package org.graft.update.text;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

/** Who asked for a change, as the channel it came through knows it. */
public final class Requester {
    private Requester() {
    }

    /**
     * The user of the JAAS subject the calling thread runs as, or null: Karaf runs a shell command as its
     * session's subject, and a remote JMX call as the subject its connector authenticated.
     */
    // Subject.getSubject(AccessControlContext) is how Karaf 4.4 on Java 17 hands both their subject (bound
    // to the access control context); later JDKs deprecate it for removal.
    @SuppressWarnings("removal")
    public static String user() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null) {
            return null;
        }
        for (Principal principal : subject.getPrincipals()) {
            // Karaf's own principal classes tell a user from its roles and groups; they are known by name here
            if (principal.getClass().getSimpleName().equals("UserPrincipal")) {
                return principal.getName();
            }
        }
        return null;
    }
}
