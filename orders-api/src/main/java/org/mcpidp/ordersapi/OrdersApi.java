package org.mcpidp.ordersapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.util.Optional;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The demo's downstream API, a company API an MCP tool calls as its caller: {@code GET /orders} (audience
 * {@code orders-api}, scope {@code orders:read}) and {@code GET /health} (200 once the issuer's keys are loaded).
 * Tests start it in-process with {@link #start}; {@link Main} runs it as a program.
 */
public final class OrdersApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebServer server;
    private final Optional<ReceivedTokens> received;

    private OrdersApi(WebServer server, Optional<ReceivedTokens> received) {
        this.server = server;
        this.received = received;
    }

    /** Starts the API with a verifier for {@code settings} (JWT mode against the issuer's JWKS). */
    public static OrdersApi start(OrdersApiSettings settings) {
        return start(settings, verifier(settings));
    }

    static OrdersApi start(OrdersApiSettings settings, TokenVerifier verifier) {
        Optional<ReceivedTokens> received = settings.recordTokenHashes()
                ? Optional.of(new ReceivedTokens()) : Optional.empty();
        BearerCheck check = new BearerCheck(verifier, settings.requiredScope(), received);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // without it answers stall ~40 ms (Nagle + delayed ACK)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing(routing, check, verifier))
                .build()
                .start();
        return new OrdersApi(server, received);
    }

    /** The API's own check: only tokens for {@code audience} with {@code requiredScope}, from the one issuer. */
    static TokenVerifier verifier(OrdersApiSettings settings) {
        TrustedIssuer.Builder issuer = TrustedIssuer.jwt(settings.issuer());
        settings.discoveryUrl().ifPresent(issuer::metadataUrl);
        settings.jwksUri().ifPresent(issuer::jwksUri);
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder()
                        .audiences(settings.audience())
                        .requiredScopes(settings.requiredScope())
                        .build())
                .issuer(issuer.build())
                .build();
    }

    static void routing(HttpRouting.Builder routing, BearerCheck check, TokenVerifier verifier) {
        routing.get("/health", (request, response) -> {
            boolean ready = verifier.ready();
            response.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(ready ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
        routing.get("/orders", (request, response) -> {
            if (check.authenticate(request, response).isPresent()) {
                response.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .send(JSON.writeValueAsBytes(Order.DEMO));
            }
        });
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** What was received, when {@code record-token-hashes} is on. */
    public Optional<ReceivedTokens> received() {
        return received;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        server.stop();
    }
}
