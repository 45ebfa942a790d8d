package org.graft.container.internal.state;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.graft.transformer.ReversibleStateTransformer;
import org.graft.transformer.StateTransformer;
import org.graft.transformer.UpgradeFrom;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Finds the transformer for a move between two versions: the new version's {@link UpgradeFrom} that
 * covers the old version (the way up), else the old version's reversible one that covers the new
 * version (the way down, for rollbacks). More than one candidate on either side is ambiguous.
 */
final class TransformerResolver {
    private TransformerResolver() {
    }

    /** @throws IllegalArgumentException for an ambiguous or unusable declaration, naming it */
    static Optional<Transformation> resolve(Class<?> fromClass, Version fromVersion, Class<?> toClass, Version toVersion) {
        List<UpgradeFrom> up = covering(toClass, fromVersion, false);
        if (up.size() > 1) {
            throw new IllegalArgumentException(toClass.getName() + " declares " + up.size()
                    + " transformers covering version " + fromVersion + ": " + names(up));
        }
        if (up.size() == 1) {
            return Optional.of(Transformation.up(checked(up.get(0).transformer())));
        }
        List<UpgradeFrom> down = covering(fromClass, toVersion, true);
        if (down.size() > 1) {
            throw new IllegalArgumentException(fromClass.getName() + " declares " + down.size()
                    + " reversible transformers covering version " + toVersion + ": " + names(down));
        }
        if (down.size() == 1) {
            return Optional.of(Transformation.down(checked(down.get(0).transformer())));
        }
        return Optional.empty();
    }

    private static List<UpgradeFrom> covering(Class<?> type, Version version, boolean reversibleOnly) {
        List<UpgradeFrom> matches = new ArrayList<>();
        for (UpgradeFrom declaration : type.getAnnotationsByType(UpgradeFrom.class)) {
            VersionRange range;
            try {
                range = new VersionRange(declaration.versions());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type.getName() + " declares @UpgradeFrom(versions = \""
                        + declaration.versions() + "\"), which is not an OSGi version range", e);
            }
            boolean usable = !reversibleOnly || ReversibleStateTransformer.class.isAssignableFrom(declaration.transformer());
            if (usable && range.includes(version)) {
                matches.add(declaration);
            }
        }
        return matches;
    }

    /**
     * The transformer class, once it is known to be creatable: a public concrete class with a public
     * no-argument constructor. It is not created here: planning runs none of the service author's code.
     */
    private static Class<? extends StateTransformer> checked(Class<? extends StateTransformer> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("transformer " + type.getName()
                    + " cannot be created: it must be a public concrete class");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("transformer " + type.getName()
                    + " cannot be created: it needs a public no-argument constructor", e);
        }
        return type;
    }

    private static List<String> names(List<UpgradeFrom> declarations) {
        List<String> names = new ArrayList<>();
        for (UpgradeFrom declaration : declarations) {
            names.add(declaration.transformer().getName() + " for " + declaration.versions());
        }
        return names;
    }
}
