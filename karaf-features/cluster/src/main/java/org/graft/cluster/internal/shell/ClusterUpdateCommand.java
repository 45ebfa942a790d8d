package org.graft.cluster.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.graft.cluster.ClusterUpdates;
import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.internal.RolloutText;
import org.graft.cluster.dto.RolloutRequestDTO;
import org.graft.cluster.internal.RolloutRequests;

@Service
@Command(scope = "dsu", name = "cluster-update", description = "Updates a managed bundle on every node of a Cellar group, one node at a time,"
        + " with Graft's update; the first failure, refusal or silence halts it and rolls the updated nodes back.")
public class ClusterUpdateCommand implements Action {
    @Reference
    ClusterUpdates clusterUpdates;

    @Argument(index = 0, name = "group", required = true, description = "The Cellar group")
    String group;

    @Argument(index = 1, name = "bundle", required = true, description = "The managed bundle's symbolic name")
    String bundle;

    @Argument(index = 2, name = "url", required = true, description = "The new version's location, readable from every node (mvn:, http:, a shared file:)")
    String url;

    @Option(name = "--order", description = "The node ids in the order to update them, comma-separated, every node of the group once (default: sorted by id)")
    String order;

    @Option(name = "--claim-timeout", description = "Milliseconds a node may take to claim its update before it is silent (default 10000)")
    long claimTimeoutMillis = 10_000L;

    @Option(name = "--update-timeout", description = "Milliseconds a node may take to finish its update once claimed (default 120000)")
    long updateTimeoutMillis = 120_000L;

    @Option(name = "--probe", description = "Milliseconds an updated node must keep serving before the next one starts (default 0: none)")
    long probeMillis;

    @Override
    public Object execute() {
        RolloutRequestDTO request = RolloutRequests.of(group, bundle, url, order);
        request.claimTimeoutMillis = claimTimeoutMillis;
        request.updateTimeoutMillis = updateTimeoutMillis;
        request.probeMillis = probeMillis;
        RolloutDTO done = clusterUpdates.rollOut(request);
        RolloutText.lines(done).forEach(System.out::println);
        if (!RolloutDTO.SUCCEEDED.equals(done.state)) {
            throw new IllegalStateException("the rollout " + (RolloutDTO.REFUSED.equals(done.state) ? "was refused" : "ended " + done.state)
                    + ": " + done.message);
        }
        return null;
    }
}
