package org.graft.cluster.internal.jmx;

import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

import org.graft.cluster.ClusterUpdates;
import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.dto.RolloutRequestDTO;
import org.graft.cluster.internal.RolloutRequests;
import org.graft.cluster.internal.RolloutText;
import org.graft.cluster.management.ClusterUpdatesMBean;

/** The JMX face of {@link ClusterUpdates}: the shell's text, and a failure as an exception carrying it. */
public final class ClusterUpdatesMBeanImpl extends StandardMBean implements ClusterUpdatesMBean {
    private final ClusterUpdates clusterUpdates;

    public ClusterUpdatesMBeanImpl(ClusterUpdates clusterUpdates) throws NotCompliantMBeanException {
        super(ClusterUpdatesMBean.class);
        this.clusterUpdates = clusterUpdates;
    }

    /** The object name for the Karaf instance {@code karafName}. */
    public static String objectName(String karafName) {
        return "org.apache.karaf:type=" + TYPE + ",name=" + karafName;
    }

    @Override
    public String clusterUpdate(String group, String bundle, String url, String order, long claimTimeoutMillis,
            long updateTimeoutMillis, long probeMillis) {
        RolloutRequestDTO request = RolloutRequests.of(group, bundle, url, order);
        if (claimTimeoutMillis > 0) {
            request.claimTimeoutMillis = claimTimeoutMillis;
        }
        if (updateTimeoutMillis > 0) {
            request.updateTimeoutMillis = updateTimeoutMillis;
        }
        request.probeMillis = probeMillis;
        return textOrFailure(clusterUpdates.rollOut(request), RolloutDTO.SUCCEEDED);
    }

    @Override
    public String clusterStatus(String group) {
        RolloutDTO rollout = clusterUpdates.status(group);
        return rollout == null ? "The group " + group + " has had no rollout." : String.join("\n", RolloutText.lines(rollout));
    }

    @Override
    public String clusterRollback(String group) {
        return textOrFailure(clusterUpdates.rollBack(group), RolloutDTO.ROLLED_BACK);
    }

    private static String textOrFailure(RolloutDTO rollout, String expected) {
        String text = String.join("\n", RolloutText.lines(rollout));
        if (!expected.equals(rollout.state)) {
            throw new IllegalStateException(text);
        }
        return text;
    }
}
