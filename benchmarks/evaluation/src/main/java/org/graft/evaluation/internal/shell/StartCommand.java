package org.graft.evaluation.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.evaluation.internal.EvaluationLoad;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "graft-eval", name = "start", description = "Starts nonstop callers on a subject's service (mime, log or list).")
public class StartCommand implements Action {
    @Reference
    BundleContext context;

    @Argument(index = 0, name = "subject", required = true, description = "mime, log or list")
    String subject;

    @Option(name = "--threads", description = "How many callers (1 to 16)")
    int threads = 3;

    @Override
    public Object execute() throws Exception {
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("--threads must be 1 to 16, not " + threads);
        }
        System.out.println(EvaluationLoad.start(context, subject, threads));
        return null;
    }
}
