package org.graft.update.internal.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The one way the update manager, its rollback and its commands read "a symbolic name or a bundle id". */
public final class BundleSelector {
    private BundleSelector() {
    }

    /**
     * The single installed bundle the selector names.
     *
     * @throws IllegalArgumentException naming the selector, and the candidates where there are several
     */
    public static Bundle single(BundleContext context, String selector) {
        return single(context, selector, bundle -> false);
    }

    /**
     * As {@link #single(BundleContext, String)}, except that where a symbolic name matches several
     * bundles, the only one of them that {@code preferred} accepts is the one (a running version
     * beside the stopped older ones kept for their exports, say).
     */
    public static Bundle single(BundleContext context, String selector, Predicate<Bundle> preferred) {
        if (selector == null || selector.isBlank()) {
            throw new IllegalArgumentException("no bundle named: give a symbolic name or a bundle id");
        }
        String name = selector.trim();
        List<Bundle> matches = new ArrayList<>();
        if (name.chars().allMatch(Character::isDigit)) {
            Bundle bundle = context.getBundle(Long.parseLong(name));
            if (bundle != null) {
                matches.add(bundle);
            }
        } else {
            for (Bundle bundle : context.getBundles()) {
                if (name.equals(bundle.getSymbolicName())) {
                    matches.add(bundle);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("Bundle " + name + " does not match any installed bundle");
        }
        if (matches.size() > 1) {
            List<Bundle> chosen = matches.stream().filter(preferred).toList();
            if (chosen.size() == 1) {
                return chosen.get(0);
            }
            List<String> candidates = new ArrayList<>();
            for (Bundle bundle : matches) {
                candidates.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")");
            }
            throw new IllegalArgumentException("Bundle " + name + " matches several bundles: " + candidates + "; name one by id");
        }
        return matches.get(0);
    }
}
