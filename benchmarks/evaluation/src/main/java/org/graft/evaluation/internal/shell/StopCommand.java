package org.graft.evaluation.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.evaluation.internal.EvaluationLoad;

@Service
@Command(scope = "graft-eval", name = "stop", description = "Stops the callers and prints calls, failed calls and withdrawals seen.")
public class StopCommand implements Action {
    @Override
    public Object execute() throws Exception {
        System.out.println(EvaluationLoad.stop());
        return null;
    }
}
