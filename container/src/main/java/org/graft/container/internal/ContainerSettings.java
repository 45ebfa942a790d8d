package org.graft.container.internal;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.graft.container.internal.state.StateSelection;
import org.osgi.framework.BundleContext;

/**
 * The container's settings: from the configuration PID {@value #PID} (keys {@value #MANAGED_BUNDLES},
 * {@value #MAX_HOLD}, {@value #IDENTITY_PROPERTY}, {@value #STATE_FIELDS}, {@value #STATE_STRICT},
 * {@value #PROXY_LINK}) where
 * ConfigAdmin runs, else from the framework properties {@code graft.}+key.
 */
final class ContainerSettings {
    static final String PID = "org.graft.container";
    static final String MANAGED_BUNDLES = "managed.bundles";
    static final String MAX_HOLD = "hold.max.ms";
    static final String IDENTITY_PROPERTY = "identity.property";
    static final String STATE_FIELDS = "state.fields";
    static final String STATE_STRICT = "state.strict";
    static final String PROXY_LINK = "proxy.link";
    static final String LINK_DIRECT = "direct";
    static final String LINK_COUNTED = "counted";
    private static final long DEFAULT_MAX_HOLD_MILLIS = 60_000L;
    /** The manifest grammar's symbolic-name: tokens of letters, digits, '_' and '-', joined by dots. */
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[\\w-]+(\\.[\\w-]+)*");
    /** Service property keys are free text, but one Graft must find again has no space, '=', ',' or ';'. */
    private static final Pattern PROPERTY_NAME = Pattern.compile("[^\\s=,;]+");

    final Set<String> managedBundles;
    final long maxHoldMillis;
    /** The service property that tells apart registrations of one interface by one bundle; null for none. */
    final String identityProperty;
    /** Per identity, the fields to carry besides {@code @State} ones. */
    final Map<String, Set<String>> stateFields;
    /** Whether an update that would reset undeclared state is refused. */
    final boolean strictState;
    /**
     * Whether proxies are to be linked directly while no update holds them ({@value #LINK_DIRECT}) or
     * count every call ({@value #LINK_COUNTED}, the default: the direct link's exactness rests on HotSpot
     * behaviour the specification does not promise); direct only where the JVM allows it.
     */
    final boolean directLink;

    private ContainerSettings(Set<String> managedBundles, long maxHoldMillis, String identityProperty,
            Map<String, Set<String>> stateFields, boolean strictState, boolean directLink) {
        this.managedBundles = managedBundles;
        this.maxHoldMillis = maxHoldMillis;
        this.identityProperty = identityProperty;
        this.stateFields = Map.copyOf(stateFields);
        this.strictState = strictState;
        this.directLink = directLink;
    }

    /** What the state planner is to carry for {@code identity}. */
    StateSelection stateOf(String identity) {
        return new StateSelection(stateFields.getOrDefault(identity, Set.of()), strictState);
    }

    static ContainerSettings fromFramework(BundleContext context) {
        return of(context.getProperty("graft." + MANAGED_BUNDLES), context.getProperty("graft." + MAX_HOLD),
                context.getProperty("graft." + IDENTITY_PROPERTY), context.getProperty("graft." + STATE_FIELDS),
                context.getProperty("graft." + STATE_STRICT), context.getProperty("graft." + PROXY_LINK));
    }

    /** A null dictionary (no configuration) falls back to the framework properties. */
    static ContainerSettings fromConfiguration(BundleContext context, Dictionary<String, ?> properties) {
        if (properties == null) {
            return fromFramework(context);
        }
        return of(text(properties.get(MANAGED_BUNDLES)), text(properties.get(MAX_HOLD)), text(properties.get(IDENTITY_PROPERTY)),
                text(properties.get(STATE_FIELDS)), text(properties.get(STATE_STRICT)), text(properties.get(PROXY_LINK)));
    }

    private static boolean isJavaIdentifier(String name) {
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        return name.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** @throws IllegalArgumentException naming the key whose value is wrong */
    private static ContainerSettings of(String names, String hold, String identityProperty, String stateFields,
            String strict, String link) {
        Set<String> managed = names == null || names.isBlank() ? Set.of()
                : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String name : managed) {
            if (!SYMBOLIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(MANAGED_BUNDLES + " must list bundle symbolic names, and '" + name
                        + "' is not one");
            }
        }
        if (identityProperty != null && !identityProperty.isBlank() && !PROPERTY_NAME.matcher(identityProperty.trim()).matches()) {
            throw new IllegalArgumentException(IDENTITY_PROPERTY + " must be a service property name, not '" + identityProperty + "'");
        }
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
        boolean strictState = false;
        if (strict != null && !strict.isBlank()) {
            if (!strict.trim().equalsIgnoreCase("true") && !strict.trim().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(STATE_STRICT + " must be true or false, not '" + strict + "'");
            }
            strictState = Boolean.parseBoolean(strict.trim());
        }
        boolean directLink = false;
        if (link != null && !link.isBlank()) {
            if (!link.trim().equals(LINK_DIRECT) && !link.trim().equals(LINK_COUNTED)) {
                throw new IllegalArgumentException(PROXY_LINK + " must be " + LINK_DIRECT + " or " + LINK_COUNTED + ", not '" + link + "'");
            }
            directLink = link.trim().equals(LINK_DIRECT);
        }
        return new ContainerSettings(managed, maxHold,
                identityProperty == null || identityProperty.isBlank() ? null : identityProperty.trim(),
                parseStateFields(stateFields), strictState, directLink);
    }

    /**
     * {@code identity: field, field; identity: field}: an identity ends at its last colon (identities
     * may contain colons, field names cannot).
     *
     * @throws IllegalArgumentException naming the clause that has no identity or no field
     */
    private static Map<String, Set<String>> parseStateFields(String text) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return fields;
        }
        for (String clause : text.split(";")) {
            if (clause.isBlank()) {
                continue;
            }
            int colon = clause.lastIndexOf(':');
            Set<String> names = colon < 0 ? Set.of() : Arrays.stream(clause.substring(colon + 1).split(","))
                    .map(String::trim).filter(name -> !name.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
            if (colon <= 0 || clause.substring(0, colon).isBlank() || names.isEmpty()) {
                throw new IllegalArgumentException(STATE_FIELDS + " clause '" + clause.trim()
                        + "' must read identity: field, field");
            }
            for (String name : names) {
                if (!isJavaIdentifier(name)) {
                    throw new IllegalArgumentException(STATE_FIELDS + " clause '" + clause.trim() + "' names '" + name
                            + "', which is not a Java field name");
                }
            }
            fields.computeIfAbsent(clause.substring(0, colon).trim(), identity -> new LinkedHashSet<>()).addAll(names);
        }
        return fields;
    }
}
