package org.graft.cluster.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.cluster.ClusterUpdates;
import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.internal.RolloutText;

@Service
@Command(scope = "dsu", name = "cluster-rollback", description = "Rolls back the last rollout of a Cellar group on every node it updated,"
        + " last updated first, with Graft's rollback; takes over a rollout whose coordinator left.")
public class ClusterRollbackCommand implements Action {
    @Reference
    ClusterUpdates clusterUpdates;

    @Argument(index = 0, name = "group", required = true, description = "The Cellar group")
    String group;

    @Override
    public Object execute() {
        RolloutDTO done = clusterUpdates.rollBack(group);
        RolloutText.lines(done).forEach(System.out::println);
        if (!RolloutDTO.ROLLED_BACK.equals(done.state)) {
            throw new IllegalStateException("the rollback " + (RolloutDTO.REFUSED.equals(done.state) ? "was refused" : "ended " + done.state)
                    + ": " + done.message);
        }
        return null;
    }
}
