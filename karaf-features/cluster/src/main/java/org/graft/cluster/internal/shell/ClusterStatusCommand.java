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
@Command(scope = "dsu", name = "cluster-status", description = "Shows the last rollout of a Cellar group, as any node of the group sees it.")
public class ClusterStatusCommand implements Action {
    @Reference
    ClusterUpdates clusterUpdates;

    @Argument(index = 0, name = "group", required = true, description = "The Cellar group")
    String group;

    @Override
    public Object execute() {
        RolloutDTO rollout = clusterUpdates.status(group);
        if (rollout == null) {
            System.out.println("The group " + group + " has had no rollout.");
        } else {
            RolloutText.lines(rollout).forEach(System.out::println);
        }
        return null;
    }
}
