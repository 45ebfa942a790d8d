package org.graft.cluster.internal;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;

import org.apache.karaf.cellar.core.ClusterManager;
import org.apache.karaf.cellar.core.GroupManager;
import org.graft.cluster.ClusterUpdates;
import org.graft.cluster.dto.RolloutDTO;
import org.graft.cluster.dto.RolloutRequestDTO;
import org.graft.cluster.internal.cellar.CellarCluster;
import org.graft.cluster.internal.graft.GraftUpdates;
import org.graft.cluster.internal.rollout.Rollout;
import org.graft.cluster.internal.rollout.RolloutNode;
import org.graft.cluster.internal.rollout.RolloutRefused;
import org.graft.cluster.internal.rollout.RolloutRequest;
import org.graft.cluster.internal.rollout.RolloutTimeouts;
import org.graft.container.internal.log.Logs;
import org.graft.update.UpdateManager;
import org.graft.cluster.internal.jmx.ClusterUpdatesMBeanImpl;
import org.graft.cluster.management.ClusterUpdatesMBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.hazelcast.core.HazelcastInstance;

/**
 * Graft's rollouts on this node while Cellar's cluster and Graft's update manager run: the node's agent
 * answers the group's rollouts from activation on, and rollouts asked for here are coordinated here.
 */
@Component(service = ClusterUpdates.class, immediate = true)
public final class ClusterUpdatesComponent implements ClusterUpdates {
    private static final System.Logger LOG = Logs.get("org.graft.cluster");

    private final RolloutNode node;
    private final ServiceRegistration<?> mbean;
    /** The rollouts this node coordinates now, so that an operator's rollback does not take one over. */
    private final Set<String> coordinating = ConcurrentHashMap.newKeySet();

    @Activate
    public ClusterUpdatesComponent(BundleContext context, @Reference UpdateManager updateManager,
            @Reference HazelcastInstance hazelcast, @Reference ClusterManager clusterManager,
            @Reference GroupManager groupManager) {
        Logs.bind(context);
        CellarCluster cluster = new CellarCluster(hazelcast, clusterManager, groupManager);
        this.node = new RolloutNode(cluster.records(), cluster.members(),
                new GraftUpdates(updateManager, context, "cluster node " + clusterManager.getNode().getId()));
        this.mbean = registerMBean(context);
        LOG.log(Level.INFO, "Graft's cluster updates run on node " + clusterManager.getNode().getId() + ", groups "
                + cluster.members().localGroups());
    }

    /**
     * Offers the MBean as a service named by its object name: Karaf's JMX whiteboard puts it into the
     * platform MBean server, as it does Graft's update manager's and Karaf's own.
     */
    private ServiceRegistration<?> registerMBean(BundleContext context) {
        try {
            Dictionary<String, Object> properties = new Hashtable<>();
            String karafName = context.getProperty("karaf.name");
            properties.put("jmx.objectname", ClusterUpdatesMBeanImpl.objectName(karafName == null ? "graft" : karafName));
            return context.registerService(new String[] {ClusterUpdatesMBean.class.getName(), DynamicMBean.class.getName()},
                    new ClusterUpdatesMBeanImpl(this), properties);
        } catch (NotCompliantMBeanException e) {
            throw new IllegalStateException("Graft's cluster MBean is not a compliant MBean: " + e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        mbean.unregister();
        node.close();
        Logs.unbind();
    }

    @Override
    public RolloutDTO rollOut(RolloutRequestDTO request) {
        RolloutRequest asked;
        try {
            asked = new RolloutRequest(required(request.group, "group"), required(request.bundle, "bundle"),
                    required(request.url, "url"), request.order == null ? List.of() : request.order,
                    new RolloutTimeouts(request.claimTimeoutMillis, request.updateTimeoutMillis, request.probeMillis));
        } catch (IllegalArgumentException e) {
            return RolloutDTOs.refused(request.group, request.bundle, request.url, e.getMessage());
        }
        try {
            Rollout done = node.rollOut(asked, coordinating::add, coordinating::remove);
            return RolloutDTOs.of(done);
        } catch (RolloutRefused e) {
            return RolloutDTOs.refused(request.group, request.bundle, request.url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interrupted(request.group);
        }
    }

    @Override
    public RolloutDTO rollBack(String group) {
        try {
            return RolloutDTOs.of(node.rollBack(group, coordinating::contains));
        } catch (RolloutRefused e) {
            return RolloutDTOs.refused(group, null, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interrupted(group);
        }
    }

    /** The record as it stands, with what an interrupted coordinator leaves. */
    private RolloutDTO interrupted(String group) {
        RolloutDTO now = status(group);
        RolloutDTO dto = now == null ? RolloutDTOs.refused(group, null, null, "interrupted before it started") : now;
        dto.message = "interrupted: this node stopped coordinating; the record shows where the group stands, and"
                + " dsu:cluster-rollback " + group + " on this node (or on any node once this one left the group) takes it"
                + " over and rolls it back. " + (dto.message == null ? "" : dto.message);
        return dto;
    }

    @Override
    public RolloutDTO status(String group) {
        return node.status(group).map(RolloutDTOs::of).orElse(null);
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a rollout needs a " + name);
        }
        return value;
    }
}
