package org.graft.update.internal.trust;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.graft.update.internal.config.JarPolicy;
import org.graft.update.internal.planning.BundleSource;
import org.graft.update.testing.JarSigning;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The signature policy on jars signed at test time by the JDK's jarsigner, read as every channel reads
 * a new version: trusted signers are applied, everything else is refused naming the jar and why.
 */
public class SignedJarsTest {
    @ClassRule
    public static final TemporaryFolder TEMPORARY = new TemporaryFolder();
    private static JarSigning signing;
    private static Path publisher;
    private static Path stranger;
    private static Path company;
    private static Path expired;
    private static Path trust;
    private static Path bundle;

    @BeforeClass
    public static void keysAndJars() throws IOException {
        signing = new JarSigning(TEMPORARY.getRoot().toPath().resolve("keys"));
        publisher = signing.signer("publisher", "publisher");
        stranger = signing.signer("stranger", "stranger");
        company = signing.signer("company", "company-ca");
        signing.issued(company, "team", company, "company-ca");
        expired = signing.signer("expired", "expired", "-3d", 1);
        trust = signing.trustStore("trust", JarSigning.PASSWORD, publisher, "publisher");
        bundle = bundle("counter.jar", "org.example.counter", "2.0.0");
    }

    @Test
    public void withoutAKeystoreNothingIsAskedOrChecked() throws IOException {
        BundleSource.read(url(bundle), JarPolicy.DEFAULT);
        BundleSource.read(url(changedEntry(signing.signed(bundle, stranger, "stranger", "s.jar"), "tampered.jar")), JarPolicy.DEFAULT);
    }

    @Test
    public void aJarSignedByATrustedKeyIsRead() throws IOException {
        Path signed = signing.signed(bundle, publisher, "publisher", "by-publisher.jar");
        BundleSource source = BundleSource.read(url(signed), policy(trust, JarSigning.PASSWORD));
        assertEquals("org.example.counter", source.symbolicName());
    }

    @Test
    public void anUnsignedJarIsRefusedNamingTheKeystoreAndTheKey() {
        String refusal = refusal(bundle, policy(trust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.startsWith(url(bundle) + " is not signed, and only bundles signed by a certificate in the keystore "
                + trust + " are applied (key signature.keystore of the configuration org.graft.update)"));
    }

    @Test
    public void aJarSignedByAnUntrustedKeyIsRefusedNamingTheSigner() throws IOException {
        Path signed = signing.signed(bundle, stranger, "stranger", "by-stranger.jar");
        String refusal = refusal(signed, policy(trust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.contains(" is signed by CN=stranger,O=Graft tests"));
        assertTrue(refusal, refusal.contains("neither in the keystore nor validly issued by one there"));
    }

    @Test
    public void aJarChangedAfterSigningIsRefusedNamingTheEntry() throws IOException {
        Path tampered = changedEntry(signing.signed(bundle, publisher, "publisher", "p.jar"), "changed.jar");
        String refusal = refusal(tampered, policy(trust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.startsWith(url(tampered) + " does not match its signature at the entry org/example/Counter.class"));
        assertTrue(refusal, refusal.endsWith("it was changed after it was signed"));
    }

    @Test
    public void aJarWithAnEntryAddedAfterSigningIsRefusedAsSignedInPart() throws IOException {
        Path added = withExtraEntry(signing.signed(bundle, publisher, "publisher", "p2.jar"), "added.jar");
        String refusal = refusal(added, policy(trust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.contains(" is signed only in part: 1 of its 3 entries are not signed (org/example/Extra.class)"));
    }

    @Test
    public void aCertificateIssuedByATrustedOneIsTrusted() throws IOException {
        Path companyTrust = signing.trustStore("company-trust", JarSigning.PASSWORD, company, "company-ca");
        Path signed = signing.signed(bundle, company, "team", "by-team.jar");
        BundleSource.read(url(signed), policy(companyTrust, JarSigning.PASSWORD));
        // ... and not by a keystore that trusts someone else
        String refusal = refusal(signed, policy(trust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.contains("is signed by CN=team,O=Graft tests (issued by CN=company-ca,O=Graft tests)"));
    }

    @Test
    public void anExpiredCertificateIsRefusedThoughTrusted() throws IOException {
        Path expiredTrust = signing.trustStore("expired-trust", JarSigning.PASSWORD, expired, "expired");
        Path signed = signing.signed(bundle, expired, "expired", "by-expired.jar");
        String refusal = refusal(signed, policy(expiredTrust, JarSigning.PASSWORD));
        assertTrue(refusal, refusal.contains("is signed by CN=expired,O=Graft tests, whose certificate expired on "));
    }

    @Test
    public void theKeystoreIsReadForEveryJarSoThatTrustCanBeWithdrawn() throws IOException {
        Path changing = Files.copy(trust, TEMPORARY.getRoot().toPath().resolve("changing.p12"));
        JarPolicy policy = policy(changing, JarSigning.PASSWORD);
        Path signed = signing.signed(bundle, publisher, "publisher", "p3.jar");
        BundleSource.read(url(signed), policy);
        Files.copy(signing.trustStore("other-trust", JarSigning.PASSWORD, stranger, "stranger"), changing,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(refusal(signed, policy).contains("is signed by CN=publisher,O=Graft tests"));
        Files.delete(changing);
        String refusal = refusal(signed, policy);
        assertTrue(refusal, refusal.contains("the signature of " + url(signed) + " cannot be checked: the keystore " + changing));
        assertTrue(refusal, refusal.endsWith("no bundle is applied until it can"));
    }

    @Test
    public void aKeystoreThatCannotBeUsedIsRefusedWhenConfigured() throws IOException {
        assertConfigurationRefused(TEMPORARY.getRoot().toPath().resolve("none.p12").toString(), null,
                "signature.keystore names " + TEMPORARY.getRoot().toPath().resolve("none.p12") + ", which cannot be read as a keystore");
        assertConfigurationRefused(trust.toString(), "wrong", "which cannot be read as a keystore with the password signature.keystore.password");
        assertConfigurationRefused("etc/trust.p12", null, "signature.keystore must be an absolute path");
        assertConfigurationRefused(null, "secret", "signature.keystore.password is set but signature.keystore is not");
        Path empty = TEMPORARY.getRoot().toPath().resolve("empty.p12");
        Files.write(empty, "not a keystore".getBytes(StandardCharsets.UTF_8));
        assertConfigurationRefused(empty.toString(), null, "which cannot be read as a keystore");
    }

    @Test
    public void signatureFilesAreNotEntriesToSign() {
        for (String name : new String[] {"META-INF/MANIFEST.MF", "META-INF/PUBLISHER.SF", "META-INF/publisher.ec", "META-INF/A.RSA",
                "META-INF/B.DSA", "META-INF/SIG-X"}) {
            assertTrue(name, JarSignatures.isSignatureFile(name));
        }
        for (String name : new String[] {"META-INF/maven/pom.xml", "META-INF/sub/A.SF", "org/example/A.SF", "OSGI-INF/c.xml"}) {
            assertFalse(name, JarSignatures.isSignatureFile(name));
        }
    }

    private static void assertConfigurationRefused(String keystore, String password, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy(keystore, password));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }

    private static JarPolicy policy(Path keystore, String password) {
        return policy(keystore.toString(), password);
    }

    private static JarPolicy policy(String keystore, String password) {
        Hashtable<String, Object> configuration = new Hashtable<>();
        if (keystore != null) {
            configuration.put(JarPolicy.KEYSTORE, keystore);
        }
        if (password != null) {
            configuration.put(JarPolicy.KEYSTORE_PASSWORD, password);
        }
        return JarPolicy.fromConfiguration(null, configuration);
    }

    private static String refusal(Path jar, JarPolicy policy) {
        return assertThrows(IllegalArgumentException.class, () -> BundleSource.read(url(jar), policy)).getMessage();
    }

    private static String url(Path jar) {
        return jar.toUri().toString();
    }

    private static Path bundle(String name, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        Path jar = TEMPORARY.getRoot().toPath().resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("org/example/"));
            entry(out, "org/example/Counter.class", "counter code");
            entry(out, "OSGI-INF/counter.xml", "<component/>");
        }
        return jar;
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    /** A copy of {@code jar}, entries in the same order, with the content of Counter.class changed. */
    private static Path changedEntry(Path jar, String name) throws IOException {
        return copy(jar, name, false);
    }

    private static Path withExtraEntry(Path jar, String name) throws IOException {
        return copy(jar, name, true);
    }

    private static Path copy(Path jar, String name, boolean addEntry) throws IOException {
        Path copy = TEMPORARY.getRoot().toPath().resolve(name);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (!addEntry && entry.getName().equals("org/example/Counter.class")) {
                    out.write("other code".getBytes(StandardCharsets.UTF_8));
                } else {
                    copyEntry(in, out);
                }
                out.closeEntry();
            }
            if (addEntry) {
                entry(out, "org/example/Extra.class", "added later");
            }
        }
        return copy;
    }

    private static void copyEntry(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
