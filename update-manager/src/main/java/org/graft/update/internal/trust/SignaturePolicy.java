package org.graft.update.internal.trust;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which signers a new bundle version must be signed by, if any: with a keystore configured, a jar is
 * applied only if every entry is signed by one signer whose certificate is in that keystore, or is
 * issued (directly or through the intermediates the jar carries) by a certificate there, and is valid
 * now. Revocation is not checked: the keystore is the list of who is trusted, and removing a
 * certificate from it is how trust is withdrawn. The keystore is read again for every jar checked, so
 * a certificate added or removed counts from the next update on.
 */
public final class SignaturePolicy {
    /** No keystore: signatures are neither required nor checked, as the framework itself does not. */
    public static final SignaturePolicy NONE = new SignaturePolicy(null, null, null, null);

    private final Path keystore;
    private final char[] password;
    /** Where the keystore was configured, for refusals: "key signature.keystore of the configuration ...". */
    private final String configuredBy;
    /** Set for a policy that refuses every jar, and why. */
    private final String refusal;

    private SignaturePolicy(Path keystore, char[] password, String configuredBy, String refusal) {
        this.keystore = keystore;
        this.password = password;
        this.configuredBy = configuredBy;
        this.refusal = refusal;
    }

    /**
     * A policy that refuses every jar: for a configuration that could not be read at start, which may
     * have named a keystore; falling back to no signatures at all would open what it meant to close.
     */
    public static SignaturePolicy refusingAll(String reason) {
        return new SignaturePolicy(null, null, null, reason);
    }

    /**
     * A policy for the keystore at {@code keystore} (PKCS12 or JKS, told apart by its content), read
     * once now so that a wrong path or password is refused when it is configured, not at the next update.
     *
     * @param keystoreKey and {@code passwordKey}: the names of the settings, for the messages
     * @param configuredBy where those settings are, e.g. "the configuration org.graft.update"
     * @throws IllegalArgumentException naming the setting and why it cannot be used
     */
    public static SignaturePolicy of(String keystore, String password, String keystoreKey, String passwordKey, String configuredBy) {
        if (keystore == null || keystore.isBlank()) {
            if (password != null && !password.isBlank()) {
                throw new IllegalArgumentException(passwordKey + " is set but " + keystoreKey + " is not: give the keystore it opens");
            }
            return NONE;
        }
        Path path = Path.of(keystore.trim());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(keystoreKey + " must be an absolute path (e.g. ${karaf.etc}/graft-trust.p12), not '"
                    + keystore + "'");
        }
        SignaturePolicy policy = new SignaturePolicy(path, password == null || password.isEmpty() ? null : password.toCharArray(),
                "key " + keystoreKey + " of " + configuredBy, null);
        try {
            if (policy.trustedCertificates().isEmpty()) {
                throw new IllegalArgumentException(keystoreKey + " names " + path + ", which holds no certificate: no bundle could be applied");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(keystoreKey + " names " + path + ", which cannot be read as a keystore"
                    + (password == null ? " without a password (" + passwordKey + ")" : " with the password " + passwordKey) + ": " + e, e);
        }
        return policy;
    }

    public boolean required() {
        return keystore != null || refusal != null;
    }

    /**
     * @throws IllegalArgumentException naming the jar (by {@code location}) and why it is not trusted:
     *         not signed, signed in part, signed by no trusted key, an expired certificate, or a keystore
     *         that can no longer be read
     */
    public void check(String location, JarSignatures signatures) {
        if (refusal != null) {
            throw new IllegalArgumentException(location + " is not applied: " + refusal);
        }
        if (keystore == null) {
            return;
        }
        String rule = "only bundles signed by a certificate in the keystore " + keystore + " are applied (" + configuredBy + ")";
        if (!signatures.anySigned()) {
            throw new IllegalArgumentException(location + " is not signed, and " + rule);
        }
        if (signatures.unsignedEntries() > 0) {
            throw new IllegalArgumentException(location + " is signed only in part: " + signatures.unsignedEntries() + " of its "
                    + signatures.signableEntries() + " entries are not signed (" + String.join(", ", signatures.someUnsignedEntries())
                    + (signatures.unsignedEntries() > signatures.someUnsignedEntries().size() ? ", ..." : "")
                    + "), and " + rule + " whole");
        }
        Set<CodeSigner> signers = signatures.commonSigners();
        if (signers.isEmpty()) {
            throw new IllegalArgumentException(location + " has no signer who signed all of it (its entries are signed by different"
                    + " signers), and " + rule + " whole");
        }
        List<X509Certificate> trusted;
        try {
            trusted = trustedCertificates();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the signature of " + location + " cannot be checked: the keystore " + keystore
                    + " (" + configuredBy + ") cannot be read (" + e + "); no bundle is applied until it can", e);
        }
        List<String> reasons = new ArrayList<>();
        for (CodeSigner signer : signers) {
            String untrusted = untrusted(signer.getSignerCertPath(), trusted);
            if (untrusted == null) {
                return;
            }
            reasons.add(untrusted);
        }
        throw new IllegalArgumentException(location + " is signed by " + String.join("; and by ", reasons) + ", and " + rule);
    }

    /** Null if the signer's path leads to a trusted certificate and is valid now, else why not. */
    private static String untrusted(CertPath path, List<X509Certificate> trusted) {
        List<? extends Certificate> chain = path.getCertificates();
        X509Certificate leaf = (X509Certificate) chain.get(0);
        String signer = leaf.getSubjectX500Principal().getName();
        int firstTrusted = -1;
        for (int i = 0; i < chain.size() && firstTrusted < 0; i++) {
            if (trusted.contains(chain.get(i))) {
                firstTrusted = i;
            }
        }
        if (firstTrusted == 0) {
            try {
                leaf.checkValidity();
                return null;
            } catch (CertificateExpiredException e) {
                return signer + ", whose certificate expired on " + leaf.getNotAfter();
            } catch (CertificateNotYetValidException e) {
                return signer + ", whose certificate is not valid before " + leaf.getNotBefore();
            }
        }
        // The path up to, not including, the trusted certificate it reaches (PKIX wants the anchor outside the path).
        List<? extends Certificate> toAnchor = firstTrusted < 0 ? chain : chain.subList(0, firstTrusted);
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate certificate : trusted) {
                anchors.add(new TrustAnchor(certificate, null));
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(toAnchor), parameters);
            return null;
        } catch (CertPathValidatorException e) {
            return signer + " (issued by " + leaf.getIssuerX500Principal().getName() + "), whose certificate is neither in the keystore"
                    + " nor validly issued by one there (" + e.getMessage() + ")";
        } catch (GeneralSecurityException e) {
            return signer + ", whose certificate path cannot be checked (" + e + ")";
        }
    }

    /** Every certificate of the keystore: trusted entries, and the first certificate of each key entry. */
    private List<X509Certificate> trustedCertificates() throws IOException, GeneralSecurityException {
        File file = keystore.toFile();
        if (!file.isFile()) {
            throw new IOException("no such file");
        }
        KeyStore store = KeyStore.getInstance(file, password);
        List<X509Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate instanceof X509Certificate) {
                certificates.add((X509Certificate) certificate);
            } else if (certificate != null) {
                throw new CertificateException("the entry " + alias + " is a " + certificate.getType() + " certificate, not X.509");
            }
        }
        return certificates;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignaturePolicy && Objects.equals(keystore, ((SignaturePolicy) other).keystore)
                && Arrays.equals(password, ((SignaturePolicy) other).password) && Objects.equals(refusal, ((SignaturePolicy) other).refusal);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(keystore);
    }

    @Override
    public String toString() {
        if (refusal != null) {
            return "no jar applied (" + refusal + ")";
        }
        return keystore == null ? "signatures not required" : "only bundles signed by a certificate in " + keystore;
    }
}
