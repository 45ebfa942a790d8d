package org.graft.update.command;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.UriCompleter;

/**
 * Completes a new version's URL: {@code file:} URLs from the file system and {@code mvn:} URLs from the
 * local Maven repository, by Karaf's own completer. A service of the command bundle, because Karaf looks
 * up a {@code @Completion} class in the session's registry, where its own completers are not.
 */
@Service
public class BundleUrlCompleter implements Completer {
    private final UriCompleter uris = new UriCompleter();

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<Candidate> found = new ArrayList<>();
        completeCandidates(session, commandLine, found);
        found.forEach(candidate -> candidates.add(candidate.value()));
        return found.isEmpty() ? -1 : 0;
    }

    @Override
    public void completeCandidates(Session session, CommandLine commandLine, List<Candidate> candidates) {
        uris.completeCandidates(session, commandLine, candidates);
    }
}
