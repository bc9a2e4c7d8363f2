package org.mcpidp.provisioning.entra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.mcpidp.provisioning.Provisioner;

/**
 * The two local STAND-INS (not Microsoft) the Entra tests run against, on HTTPS with one locally generated
 * certificate: {@link EntraTokenStandIn} for login.microsoftonline.com and {@link GraphStandIn} for
 * graph.microsoft.com. {@link #provisioner} is the TEST configuration of the real code path: the real msal4j with
 * instance discovery and authority validation off and the stand-in's certificate trusted, the real OkHttp gateway with
 * a millisecond backoff base and a sleeper that records waits instead of sleeping.
 */
public final class EntraStandIns implements AutoCloseable {

    public static final String TENANT = "6f1d2c3b-0000-4000-8000-00000000beef";
    public static final String CLIENT_ID = "0a1b2c3d-0000-4000-8000-0000000c11e7";
    /** The provisioning app's secret in these tests; must never show up in output. */
    public static final String CLIENT_SECRET = "provisioner-secret-" + UUID.randomUUID();
    static final RetryPolicy FAST = new RetryPolicy(6, Duration.ofMillis(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    private final HandshakeCertificates clientTls;
    private final EntraTokenStandIn login;
    private final GraphStandIn graph;
    private final OkHttpClient http;
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    public EntraStandIns() {
        InetSocketAddress loginAddress = loginAddress();
        HeldCertificate certificate = new HeldCertificate.Builder()
                .commonName("localhost")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName(loginAddress.getAddress().getHostAddress())
                .build();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        clientTls = new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build();
        try {
            login = new EntraTokenStandIn(serverTls.sslSocketFactory(), loginAddress, TENANT, CLIENT_ID, CLIENT_SECRET);
            graph = new GraphStandIn(serverTls.sslSocketFactory(), token -> login.issued(token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http = new OkHttpClient.Builder().sslSocketFactory(clientTls.sslSocketFactory(), clientTls.trustManager()).build();
    }

    /**
     * Port 443 on a random loopback address (all of 127/8 is loopback on Linux) when this process may bind it, so the
     * authority URL has no port like the real one and msal4j's token cache works as it does against Microsoft (see
     * {@link EntraTokenStandIn#onDefaultPort()}); otherwise any port on localhost.
     */
    private static InetSocketAddress loginAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            try {
                InetAddress address = InetAddress.getByAddress(new byte[]{127, (byte) random.nextInt(1, 255),
                        (byte) random.nextInt(1, 255), (byte) random.nextInt(1, 255)});
                try (ServerSocket probe = new ServerSocket(443, 1, address)) {
                    return new InetSocketAddress(address, 443);
                }
            } catch (IOException notAllowedOrTaken) {
                // try another address, then fall back to an ephemeral port
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName("localhost"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EntraTokenStandIn login() {
        return login;
    }

    public GraphStandIn graph() {
        return graph;
    }

    /** What the CLI reads: ENTRA_* and GRAPH_BASE_URL pointing at the stand-ins. */
    public Map<String, String> env() {
        return Map.of("ENTRA_TENANT_ID", TENANT, "ENTRA_CLIENT_ID", CLIENT_ID, "ENTRA_CLIENT_SECRET", CLIENT_SECRET,
                "ENTRA_AUTHORITY_HOST", login.authorityHost(), "GRAPH_BASE_URL", graph.baseUrl());
    }

    public EntraConnection connection() {
        return EntraConnection.fromEnv(env());
    }

    /** The provisioner for {@code connection} in TEST configuration (see the class comment). */
    public Provisioner provisioner(EntraConnection connection) {
        return provisioner(connection, FAST);
    }

    EntraProvisioner provisioner(EntraConnection connection, RetryPolicy retry) {
        EntraCredentials credentials = EntraCredentials.create(connection, Optional.of(clientTls.sslSocketFactory()));
        return new EntraProvisioner(new GraphGateway(http, HttpUrl.get(connection.graphBaseUrl().toString()),
                credentials::accessToken, retry, waits::add, Clock.systemUTC(), false));
    }

    EntraProvisioner provisioner() {
        return provisioner(connection(), FAST);
    }

    EntraCredentials credentials(EntraConnection connection) {
        return EntraCredentials.create(connection, Optional.of(clientTls.sslSocketFactory()));
    }

    /** Waits the gateway asked for between retries (none was actually slept). */
    List<Duration> waits() {
        synchronized (waits) {
            return List.copyOf(waits);
        }
    }

    @Override
    public void close() {
        http.connectionPool().evictAll();
        login.close();
        graph.close();
    }
}
