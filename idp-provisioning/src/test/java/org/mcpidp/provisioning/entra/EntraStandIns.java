package org.mcpidp.provisioning.entra;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.testkit.EntraTokenEndpoint;

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
        // port 443 on a random loopback address when it can be bound (see EntraTokenStandIn#onDefaultPort())
        EntraTokenEndpoint.Listener listener = EntraTokenEndpoint.listen();
        clientTls = listener.clientTls();
        try {
            login = new EntraTokenStandIn(listener.serverTls().sslSocketFactory(), listener.address(), TENANT, CLIENT_ID,
                    CLIENT_SECRET);
            graph = new GraphStandIn(listener.serverTls().sslSocketFactory(), token -> login.issued(token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http = new OkHttpClient.Builder().sslSocketFactory(clientTls.sslSocketFactory(), clientTls.trustManager()).build();
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
