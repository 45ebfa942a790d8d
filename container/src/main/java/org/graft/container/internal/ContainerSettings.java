package org.graft.container.internal;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;

/**
 * The container's settings: from the configuration PID {@value #PID} (keys {@value #MANAGED_BUNDLES},
 * {@value #MAX_HOLD}, {@value #IDENTITY_PROPERTY}) where ConfigAdmin runs, else from the framework
 * properties {@code graft.}+key.
 */
final class ContainerSettings {
    static final String PID = "org.graft.container";
    static final String MANAGED_BUNDLES = "managed.bundles";
    static final String MAX_HOLD = "hold.max.ms";
    static final String IDENTITY_PROPERTY = "identity.property";
    private static final long DEFAULT_MAX_HOLD_MILLIS = 60_000L;

    final Set<String> managedBundles;
    final long maxHoldMillis;
    /** The service property that tells apart registrations of one interface by one bundle; null for none. */
    final String identityProperty;

    private ContainerSettings(Set<String> managedBundles, long maxHoldMillis, String identityProperty) {
        this.managedBundles = managedBundles;
        this.maxHoldMillis = maxHoldMillis;
        this.identityProperty = identityProperty;
    }

    static ContainerSettings fromFramework(BundleContext context) {
        return of(context.getProperty("graft." + MANAGED_BUNDLES), context.getProperty("graft." + MAX_HOLD),
                context.getProperty("graft." + IDENTITY_PROPERTY));
    }

    /** A null dictionary (no configuration) falls back to the framework properties. */
    static ContainerSettings fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        return of(text(properties.get(MANAGED_BUNDLES)), text(properties.get(MAX_HOLD)), text(properties.get(IDENTITY_PROPERTY)));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** @throws IllegalArgumentException naming the key whose value is wrong */
    private static ContainerSettings of(String names, String hold, String identityProperty) {
        Set<String> managed = names == null || names.isBlank() ? Set.of()
                : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        long maxHold = DEFAULT_MAX_HOLD_MILLIS;
        if (hold != null && !hold.isBlank()) {
            try {
                maxHold = Long.parseLong(hold.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MAX_HOLD + " must be a number of milliseconds, not '" + hold + "'", e);
            }
            if (maxHold <= 0) {
                throw new IllegalArgumentException(MAX_HOLD + " must be positive, not " + maxHold);
            }
        }
        return new ContainerSettings(managed, maxHold,
                identityProperty == null || identityProperty.isBlank() ? null : identityProperty.trim());
    }
}
