package org.graft.evaluation.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.evaluation.internal.EvaluationLoad;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "graft-eval", name = "mark", description = "Puts the marker state into a subject's service, through its own API.")
public class MarkCommand implements Action {
    @Reference
    BundleContext context;

    @Argument(index = 0, name = "subject", required = true, description = "mime, log or list")
    String subject;

    @Override
    public Object execute() throws Exception {
        System.out.println(EvaluationLoad.onService(context, subject, (s, service) -> {
            s.mark(service);
            return "marked";
        }));
        return null;
    }
}
