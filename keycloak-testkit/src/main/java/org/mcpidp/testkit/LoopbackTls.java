package org.mcpidp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;

/**
 * A certificate authority made up for one test Keycloak, and a server certificate it signed for {@code 127.0.0.1}
 * and {@code localhost}. The test Keycloak trusts the authority for its own outgoing requests
 * ({@code --truststore-paths}), so a test can serve https on loopback that Keycloak fetches from: a Client ID Metadata
 * Document, for instance, which must be an https URL. Nothing else trusts it; the key never leaves the work directory.
 *
 * <p>The files are PEM: {@link #caCertificate()}, {@link #serverCertificate()} (the server certificate followed by
 * nothing else: the authority is what the client already trusts) and {@link #serverKey()} (PKCS#8, mode 0600).
 */
public final class LoopbackTls {

    /** Long enough for any test run, short enough that a leaked file is worth nothing for long. */
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path caCertificate;
    private final Path serverCertificate;
    private final Path serverKey;
    private final HeldCertificate server;
    private final HeldCertificate authority;

    private LoopbackTls(Path caCertificate, Path serverCertificate, Path serverKey, HeldCertificate server,
                        HeldCertificate authority) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
        this.server = server;
        this.authority = authority;
    }

    /** Makes a new authority and server certificate and writes them as PEM files into {@code dir} (created if needed). */
    static LoopbackTls generate(Path dir) {
        Objects.requireNonNull(dir, "dir");
        HeldCertificate authority = new HeldCertificate.Builder()
                .commonName("mcp-idp-kit test CA (loopback only)")
                .certificateAuthority(0)
                .duration(VALIDITY.toMinutes(), TimeUnit.MINUTES)
                .build();
        HeldCertificate server = new HeldCertificate.Builder()
                .commonName("127.0.0.1")
                .addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("localhost")
                .signedBy(authority)
                .duration(VALIDITY.toMinutes(), TimeUnit.MINUTES)
                .build();
        try {
            Files.createDirectories(dir);
            Path ca = Files.writeString(dir.resolve("loopback-ca.pem"), authority.certificatePem(),
                    StandardCharsets.US_ASCII);
            Path cert = Files.writeString(dir.resolve("loopback-server.pem"), server.certificatePem(),
                    StandardCharsets.US_ASCII);
            Path key = dir.resolve("loopback-server-key.pem");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, server.privateKeyPkcs8Pem(), StandardCharsets.US_ASCII);
            return new LoopbackTls(ca, cert, key, server, authority);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the loopback test certificates into " + dir, e);
        }
    }

    /** The authority Keycloak trusts (PEM); give it to any other client that must trust the loopback server. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The server certificate for {@code 127.0.0.1} and {@code localhost} (PEM). */
    public Path serverCertificate() {
        return serverCertificate;
    }

    /** The server certificate's private key (PKCS#8 PEM, file mode 0600). */
    public Path serverKey() {
        return serverKey;
    }

    /** The server certificate with its key, for a JVM-side https server (e.g. okhttp-tls HandshakeCertificates). */
    public HeldCertificate server() {
        return server;
    }

    /**
     * A server certificate this authority signs for other host names, e.g. a real client's domain that a test Keycloak
     * resolves to loopback ({@code -Djdk.net.hosts.file}) so that it fetches a copy of that client's metadata document
     * from the test. Only this authority's Keycloak trusts it; it never leaves the JVM.
     */
    public HeldCertificate serverCertificateFor(String... hostNames) {
        HeldCertificate.Builder builder = new HeldCertificate.Builder().commonName(hostNames[0])
                .signedBy(authority).duration(VALIDITY.toMinutes(), TimeUnit.MINUTES);
        for (String host : hostNames) {
            builder.addSubjectAlternativeName(host);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return "LoopbackTls[" + caCertificate.getParent() + "]";
    }
}
