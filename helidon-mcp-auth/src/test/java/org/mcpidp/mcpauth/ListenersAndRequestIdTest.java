package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * Which listeners the stages guard, and the request id on answers that are refused before any token is read: the
 * Origin/Host guard's 403 carries {@code X-Request-Id} like every other answer of the MCP endpoint; a listener of its
 * own (health and metrics) gets neither MCP nor the metadata routes; a listener named but missing stops the start.
 */
class ListenersAndRequestIdTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SdkTestServer server;
    private WebServer twoListeners;
    private LocalIssuer issuer;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (twoListeners != null) {
            twoListeners.stop();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void whenTheOriginIsRefusedThenThe403CarriesARequestIdAndKeepsAWellFormedIncomingOne() {
        server = SdkTestServer.start(engine -> engine, feature -> feature);
        String reader = server.token("alice", "mcp:read");
        Map<String, Object> ping = Map.of("jsonrpc", "2.0", "id", 1, "method", "ping");

        SdkTestServer.Reply random = server.post(reader, ping, Map.of("Origin", "https://evil.example"));
        SdkTestServer.Reply echoed = server.post(reader, ping, Map.of("Origin", "https://evil.example",
                "X-Request-Id", "balancer-42"));

        assertThat(random.status()).isEqualTo(403);
        assertThat(random.header("X-Request-Id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                + "[0-9a-f]{12}");
        assertThat(echoed.status()).isEqualTo(403);
        assertThat(echoed.header("X-Request-Id")).isEqualTo("balancer-42");
    }

    @Test
    void whenTheServerHasAnObserveListenerThenOnlyTheDefaultListenerServesMcpAndTheMetadata() throws Exception {
        issuer = LocalIssuer.start();
        int port = FreePort.find();
        int observePort = FreePort.find();
        BearerAuthFeature auth = feature(port).build();
        twoListeners = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth)
                .putSocket("observe", socket -> socket.host("127.0.0.1").port(observePort))
                .routing("observe", routing -> routing.get("/observe/health", (req, res) -> res.send("UP")))
                .build().start();

        assertThat(get(port, "/.well-known/oauth-protected-resource/mcp").statusCode()).isEqualTo(200);
        assertThat(get(port, "/mcp").statusCode()).isEqualTo(401);
        assertThat(get(observePort, "/.well-known/oauth-protected-resource/mcp").statusCode()).isEqualTo(404);
        assertThat(get(observePort, "/mcp").statusCode()).isEqualTo(404);
        assertThat(get(observePort, "/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheFeatureNamesAListenerTheServerDoesNotHaveThenTheStartFailsNamingIt() {
        issuer = LocalIssuer.start();
        int port = FreePort.find();
        BearerAuthFeature auth = feature(port).sockets("@default", "mcp-internal").build();

        assertThatThrownBy(() -> twoListeners = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth)
                .build().start())
                .hasMessageContaining("listener 'mcp-internal'");
    }

    private BearerAuthFeature.Builder feature(int port) {
        String url = "http://127.0.0.1:" + port + "/mcp";
        TokenVerifier verifier = TokenVerifier.builder().issuer(TrustedIssuer.jwt(issuer.issuer()).build())
                .policy(AccessPolicy.builder().audiences(url).build()).build();
        return BearerAuthFeature.builder().verifier(verifier).resource(URI.create(url))
                .engine(SdkEngine.builder().serverInfo("listeners-test", "1").build());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
