package org.graft.update.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys, certificates and signed jars made at test time with the JDK's own {@code keytool} and
 * {@code jarsigner}, as an operator would make them: nothing signed is checked in.
 */
public final class JarSigning {
    public static final String PASSWORD = "graft-test";
    private final Path directory;

    public JarSigning(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** A keystore {@code name}.p12 holding one self-signed EC key {@code alias}, valid for a year from now. */
    public Path signer(String name, String alias) throws IOException {
        return signer(name, alias, "+0d", 365);
    }

    /**
     * A keystore {@code name}.p12 holding one self-signed EC key {@code alias}, valid from
     * {@code start} (keytool's {@code -startdate}, e.g. {@code -3d}) for {@code days}.
     */
    public Path signer(String name, String alias, String start, int days) throws IOException {
        Path keystore = fresh(name + ".p12");
        tool("keytool", "-genkeypair", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-storetype", "PKCS12",
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-startdate", start, "-validity", String.valueOf(days),
                "-dname", "CN=" + alias + ", O=Graft tests", "-ext", "bc:c");
        return keystore;
    }

    /**
     * A key {@code alias} added to {@code keystore} whose certificate is issued by the key {@code caAlias}
     * of {@code caKeystore}; the keystore then holds the chain, as jarsigner needs it.
     */
    public void issued(Path keystore, String alias, Path caKeystore, String caAlias) throws IOException {
        tool("keytool", "-genkeypair", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-storetype", "PKCS12",
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias + ", O=Graft tests");
        Path request = fresh(alias + ".csr");
        tool("keytool", "-certreq", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-alias", alias, "-file", request.toString());
        Path issued = fresh(alias + ".cer");
        tool("keytool", "-gencert", "-keystore", caKeystore.toString(), "-storepass", PASSWORD, "-alias", caAlias,
                "-infile", request.toString(), "-outfile", issued.toString(), "-rfc");
        if (!keystore.equals(caKeystore)) {
            // keytool accepts the issued certificate as a reply only when the keystore can complete its chain.
            tool("keytool", "-importcert", "-noprompt", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-alias", caAlias,
                    "-file", exported(caKeystore, caAlias).toString());
        }
        tool("keytool", "-importcert", "-noprompt", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-alias", alias,
                "-file", issued.toString());
    }

    /** A keystore {@code name}.p12 of trusted certificates only: those of the given keys. */
    public Path trustStore(String name, String password, Path keystore, String... aliases) throws IOException {
        Path trust = fresh(name + ".p12");
        for (String alias : aliases) {
            List<String> command = new ArrayList<>(List.of("keytool", "-importcert", "-noprompt", "-keystore", trust.toString(),
                    "-storetype", "PKCS12", "-alias", alias, "-file", exported(keystore, alias).toString()));
            command.add("-storepass");
            command.add(password);
            tool(command.toArray(String[]::new));
        }
        return trust;
    }

    /** {@code jar} signed by the key {@code alias} of {@code keystore}, written to {@code name}. */
    public Path signed(Path jar, Path keystore, String alias, String name) throws IOException {
        Path out = fresh(name);
        tool("jarsigner", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-signedjar", out.toString(), jar.toString(), alias);
        return out;
    }

    private Path exported(Path keystore, String alias) throws IOException {
        Path certificate = directory.resolve(keystore.getFileName() + "-" + alias + ".cer");
        Files.deleteIfExists(certificate);
        tool("keytool", "-exportcert", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-alias", alias, "-rfc",
                "-file", certificate.toString());
        return certificate;
    }

    private Path fresh(String name) throws IOException {
        Path file = directory.resolve(name);
        Files.deleteIfExists(file);
        return file;
    }

    private static void tool(String... command) throws IOException {
        command[0] = Path.of(System.getProperty("java.home"), "bin", command[0]).toString();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // Key generation and signing take well under a second; a minute means the tool waits for input.
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
        }
    }
}
