package org.graft.update.internal.trust;

import java.security.CodeSigner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;

/**
 * Who signed a jar, gathered entry by entry while the jar is read with verification on: the signers
 * that signed every entry, and the entries that no one signed. The signature files themselves and
 * directories carry no signature, as {@code jarsigner} writes them.
 */
public final class JarSignatures {
    /** Unsigned entries named in a refusal; the rest are counted. */
    private static final int NAMED = 3;

    private Set<CodeSigner> common;
    private final List<String> unsignedNames = new ArrayList<>();
    private int unsigned;
    private int signable;

    /** Records an entry whose content has been read to its end (only then does the JDK know its signers). */
    public void entry(JarEntry entry) {
        if (entry.isDirectory() || isSignatureFile(entry.getName())) {
            return;
        }
        signable++;
        CodeSigner[] signers = entry.getCodeSigners();
        if (signers == null || signers.length == 0) {
            unsigned++;
            if (unsignedNames.size() < NAMED) {
                unsignedNames.add(entry.getName());
            }
            return;
        }
        if (common == null) {
            common = new LinkedHashSet<>(List.of(signers));
        } else {
            common.retainAll(List.of(signers));
        }
    }

    /** The signers that signed every entry that carries a signature; empty for none. */
    public Set<CodeSigner> commonSigners() {
        return common == null ? Set.of() : Set.copyOf(common);
    }

    /** Whether any entry is signed at all. */
    public boolean anySigned() {
        return common != null;
    }

    public int signableEntries() {
        return signable;
    }

    public int unsignedEntries() {
        return unsigned;
    }

    /** The first few unsigned entries, for a refusal. */
    public List<String> someUnsignedEntries() {
        return List.copyOf(unsignedNames);
    }

    /** The files a signature consists of, which it cannot sign itself: META-INF/*.SF, *.RSA, *.DSA, *.EC, SIG-*. */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        String file = upper.substring("META-INF/".length());
        return file.equals("MANIFEST.MF") || file.startsWith("SIG-") || file.endsWith(".SF") || file.endsWith(".RSA")
                || file.endsWith(".DSA") || file.endsWith(".EC");
    }
}
