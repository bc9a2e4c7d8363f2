package org.mcpidp.ordersapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/**
 * The API's own resource-server checks, against the test kit's local JWT issuer (a JWKS it signs with: the API's
 * JWT-mode verification is what is under test here; the Keycloak exchange is tested end to end in the demo server).
 */
class OrdersApiTest {

    private static LocalIssuer issuer;
    private static OrdersApi api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        issuer = LocalIssuer.start();
        api = OrdersApi.start(OrdersApiSettings.of("127.0.0.1", 0, issuer.issuer())
                .withJwksUri(issuer.jwksUri()).withRecordTokenHashes(true));
    }

    @AfterAll
    static void stop() {
        api.close();
        issuer.close();
    }

    @BeforeEach
    void clear() {
        api.received().orElseThrow().clear();
    }

    @Test
    void whenTokenForOrdersApiWithOrdersReadThenOrders() throws Exception {
        HttpResponse<String> answer = get("/orders", issuer.sign(issuer.claims("orders-api", "orders:read")));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":\"ord-1001\"").contains("\"status\":\"shipped\"");
    }

    @Test
    void whenNoTokenThen401WithBareChallenge() throws Exception {
        HttpResponse<String> answer = get("/orders", null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orders-api\"");
    }

    @Test
    void whenTokenIsForTheMcpServerThen401InvalidToken() throws Exception {
        // what passthrough would look like: the MCP server's own audience, even with the right scope
        HttpResponse<String> answer = get("/orders",
                issuer.sign(issuer.claims("http://127.0.0.1:8080/mcp", "mcp:read orders:read")));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"orders-api\", error=\"invalid_token\"");
    }

    @Test
    void whenScopeMissingThen403InsufficientScope() throws Exception {
        HttpResponse<String> answer = get("/orders", issuer.sign(issuer.claims("orders-api", "mcp:read")));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").endsWith("scope=\"orders:read\"");
    }

    @Test
    void whenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
        String token = issuer.sign(issuer.claims("orders-api", "orders:read"));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/orders"))
                .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_request");
    }

    @Test
    void whenRecordingThenEveryTokenIsKeptAsItsHashWithWhatVerified() throws Exception {
        Map<String, Object> claims = issuer.claims("orders-api", "orders:read");
        claims.put("sub", "caller-42");
        String good = issuer.sign(claims);
        String wrongAudience = issuer.sign(issuer.claims("mcp-server", "orders:read"));
        get("/orders", good);
        get("/orders", wrongAudience);

        var received = api.received().orElseThrow().all();
        assertThat(received).hasSize(2);
        assertThat(received.get(0).sha256()).isEqualTo(ReceivedTokens.sha256(good)).hasSize(64)
                .doesNotContain(good);
        assertThat(received.get(0).accepted()).isTrue();
        assertThat(received.get(0).subject()).hasValue("caller-42");
        assertThat(received.get(0).audiences()).containsExactly("orders-api");
        assertThat(received.get(1).sha256()).isEqualTo(ReceivedTokens.sha256(wrongAudience));
        assertThat(received.get(1).accepted()).isFalse();
    }

    @Test
    void whenRecordingIsOffThenNothingIsKept() {
        try (OrdersApi quiet = OrdersApi.start(OrdersApiSettings.of("127.0.0.1", 0, issuer.issuer())
                .withJwksUri(issuer.jwksUri()))) {
            assertThat(quiet.received()).isEmpty();
        }
    }

    @Test
    void whenKeysLoadedThenHealthIsUp() throws Exception {
        HttpResponse<String> answer = get("/health", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("UP");
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
