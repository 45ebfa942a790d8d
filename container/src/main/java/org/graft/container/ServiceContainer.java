package org.graft.container;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The Graft container, registered as an OSGi service by the container bundle.
 *
 * <p>Every service that a managed bundle registers is hidden from other bundles and published
 * instead as a proxy registered by the container, which stays registered across versions. A service
 * registered by a bundle while another bundle's service of the same identity is serving is
 * <em>staged</em>: hidden, not serving, waiting for an update to switch to it.
 */
@ProviderType
public interface ServiceContainer {
    /** Whether the bundle asked to be managed (manifest header, or the configured names). */
    boolean isManaged(Bundle bundle);

    /** The managed services now serving, in registration order. */
    List<ManagedService> managedServices();

    /**
     * The registrations of {@code bundle} that it asked to be managed (it opted in) and that the
     * container left alone, each described with its service id, identity and the reason: consumers use
     * them directly, so replacing the bundle would withdraw them.
     *
     * @since 1.3
     */
    List<String> unmanagedServices(Bundle bundle);

    /**
     * Stages every managed registration of {@code bundle} from now on, even of identities that serve
     * nowhere yet: an update calls this before it starts a bundle it installed, so that nothing of the
     * new version is visible before the update commits.
     */
    void beginStaging(Bundle bundle);

    /**
     * Ends {@link #beginStaging}: the staged services of {@code bundle} that no commit took over and
     * whose identity serves nowhere start to serve through proxies of their own.
     */
    void endStaging(Bundle bundle);

    /**
     * Waits until {@code bundle} has staged a service of each identity.
     *
     * @return the staged services by identity
     * @throws TimeoutException naming the identities that did not appear
     */
    Map<String, StagedService> awaitStaged(Bundle bundle, Collection<String> identities, long timeoutMillis)
            throws TimeoutException, InterruptedException;

    /**
     * Waits until {@code bundle} has staged the successor of {@code service}: its registration of the
     * same identity, or else its only one with the same interfaces whose identity serves nowhere (a
     * service whose next version registers it another way, say through an activator instead of DS, has
     * another derived identity).
     *
     * @throws TimeoutException naming the service and what the bundle staged instead
     * @since 1.3
     */
    StagedService awaitSuccessor(Bundle bundle, ManagedService service, long timeoutMillis)
            throws TimeoutException, InterruptedException;

    /**
     * The services that {@code bundle} has staged and whose identity serves nowhere yet; they start to
     * serve when an update that installs {@code bundle} commits.
     */
    List<StagedService> stagedServices(Bundle bundle);

    /**
     * Why instances of {@code implementation} could not serve behind the proxy of {@code service} (they
     * must implement the very interface classes its consumers use), or empty if they can. The same check
     * guards {@link #switchover}; asking it of a class lets an update be refused before anything starts.
     *
     * @since 1.2
     */
    Optional<String> incompatibility(ManagedService service, Class<?> implementation);

    /**
     * Prepares the switch of each managed service to its staged successor, all at once.
     *
     * @throws IllegalArgumentException if a successor fails the {@link #incompatibility} check
     */
    Switchover switchover(Map<ManagedService, StagedService> replacements);

    /**
     * Plans how the state of the running {@code service} is carried into an instance of {@code toClass}
     * (of bundle version {@code toVersion}), with the fields the configuration names for its identity
     * carried like {@code @State} fields, and every other instance field of the running implementation
     * listed as {@link StateEntryPlan.Action#RESET} or {@link StateEntryPlan.Action#WIRING}. Where the
     * configuration asks for strict state, a field that would be reset refuses the plan. Looks at the
     * classes only, as {@link #planState(Class, Version, Class, Version)} does.
     *
     * @since 1.3
     */
    StatePlan planState(ManagedService service, Class<?> toClass, Version toVersion);

    /**
     * Plans how the state of an instance of {@code fromClass} (of bundle version {@code fromVersion})
     * is carried into an instance of {@code toClass}, from its declared state alone. Looks at the classes only: no code of the service
     * author's runs (a transformer is created only when its transfer runs).
     */
    StatePlan planState(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion);
}
