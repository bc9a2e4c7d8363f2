package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * When the IdP cannot be asked, a request is answered 503 with Retry-After: never 401 (the token may be fine) and
 * never 500. The IdP is "down" by pointing the server at a loopback port where nothing listens, which works the same
 * against a shared dev Keycloak and in CI. The same holds when Keycloak refuses the server's own introspection
 * credentials (a wrong client secret): a configuration failure, so 503 and not ready until they work again.
 */
@ExtendWith(KeycloakExtension.class)
class IdpUnavailableTest {

    private static DemoRealm realm;
    private static TestServer introspectionDown;
    private static TestServer discoveryDown;
    private static TestServer wrongSecret;
    private static final String WRONG_SECRET = "wrong-" + java.util.UUID.randomUUID();

    @BeforeAll
    static void start(KeycloakServer keycloak) {
        int port = TestServer.freePort();
        realm = DemoRealm.create(keycloak, "http://127.0.0.1:" + port + "/mcp");
        String nowhere = "http://127.0.0.1:" + FreePort.find();
        introspectionDown = TestServer.start(port, realm, Map.of(
                "mcp.auth.issuers.0.introspection-endpoint", nowhere + "/introspect",
                "mcp.auth.cache.enabled", "false"));
        int otherPort = TestServer.freePort();
        discoveryDown = TestServer.start(otherPort, realm, Map.of(
                "mcp.resource", realm.resource,
                "mcp.auth.issuers.0.discovery-url", nowhere + "/.well-known/openid-configuration"));
        wrongSecret = TestServer.start(TestServer.freePort(), realm, Map.of(
                "mcp.resource", realm.resource,
                "mcp.auth.issuers.0.client-secret", WRONG_SECRET,
                "mcp.auth.cache.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {introspectionDown, discoveryDown, wrongSecret, realm}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void whenIntrospectionEndpointIsUnreachableThen503WithRetryAfter() {
        McpHttp mcp = new McpHttp(introspectionDown.baseUrl + "/mcp");
        String token = realm.token("reader", "mcp:read").accessToken();

        McpHttp.Reply reply = mcp.rpc(token, Optional.empty(), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(reply.header("WWW-Authenticate")).isNull();
        HeadersFile.append("503 when the introspection endpoint is unreachable", reply);
    }

    @Test
    void whenIssuerMetadataCannotBeLoadedThen503AndNotReady() {
        McpHttp mcp = new McpHttp(discoveryDown.baseUrl + "/mcp");
        String token = realm.token("reader", "mcp:read").accessToken();

        McpHttp.Reply reply = mcp.rpc(token, Optional.empty(), "tools/list", "{}");
        McpHttp.Reply ready = mcp.send(new Request.Builder().url(discoveryDown.baseUrl + "/observe/health/ready").build());
        McpHttp.Reply live = mcp.send(new Request.Builder().url(discoveryDown.baseUrl + "/observe/health/live").build());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isNotNull();
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body()).contains("\"DOWN\"");
        assertThat(live.status()).isEqualTo(200);
    }

    @Test
    void whenKeycloakRefusesTheServersClientSecretThen503NotReadyAndBothRecoverOnceItIsAccepted() throws Exception {
        McpHttp mcp = new McpHttp(wrongSecret.baseUrl + "/mcp");
        Request readiness = new Request.Builder().url(wrongSecret.baseUrl + "/observe/health/ready").build();
        String token = realm.token("reader", "mcp:read").accessToken();
        assertThat(mcp.send(readiness).status()).as("ready before any token was checked").isEqualTo(200);

        McpHttp.Reply reply = mcp.rpc(token, Optional.empty(), "tools/list", "{}");
        McpHttp.Reply ready = mcp.send(readiness);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(reply.header("WWW-Authenticate")).isNull();
        assertThat(reply.body()).doesNotContain(WRONG_SECRET);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body()).contains("\"DOWN\"");
        assertThat(mcp.send(new Request.Builder().url(wrongSecret.baseUrl + "/observe/health/live").build()).status())
                .isEqualTo(200);

        // fixed on the IdP's side (Keycloak now holds the secret the server has): ready again, tokens pass
        realm.realm.setClientSecret(DemoRealm.SERVER_CLIENT, WRONG_SECRET);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(8).toNanos();
        while (mcp.send(readiness).status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(mcp.send(readiness).status()).isEqualTo(200);
        assertThat(mcp.toolNames(token, mcp.openSession(token))).contains("whoami");
    }

    @Test
    void whenNoTokenThen401EvenWhileTheIdpIsDown() {
        McpHttp mcp = new McpHttp(introspectionDown.baseUrl + "/mcp");

        assertThat(mcp.rpc(null, Optional.empty(), "tools/list", "{}").status()).isEqualTo(401);
    }
}
