package org.mcpidp.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;

/**
 * How {@link KeycloakTokenExchange} maps what a token endpoint answers, against a local HTTP stand-in (the Keycloak
 * answers themselves are checked in KeycloakTokenExchangeTest), and what {@link DownstreamCalls} sends.
 */
class ExchangeAnswersTest {

    private static final String SUBJECT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXZhbHVl";
    private static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", Set.of("orders:read"));
    private static final AuthInfo CALLER = new AuthInfo("user-1", Optional.empty(), "http://kc/realms/r", Set.of(),
            Set.of(), Set.of(), Instant.now().plusSeconds(300), Map.of()).withToken(CallerToken.of(SUBJECT));

    private final MockWebServer idp = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private KeycloakTokenExchange exchange() {
        return KeycloakTokenExchange.builder().issuer(CALLER.issuer()).tokenEndpoint(idp.url("/token").uri())
                .clientId("mcp-server")
                .clientSecret("server-secret").readTimeout(Duration.ofMillis(500)).build();
    }

    private ExchangeOutcome answer(int code, String body) {
        idp.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
        return exchange().exchange(SUBJECT, CALLER, ORDERS);
    }

    private static ExchangeFailure.Reason reason(ExchangeOutcome outcome) {
        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        ExchangeFailure failure = ((ExchangeOutcome.Failed) outcome).failure();
        assertThat(failure.detail()).doesNotContain(SUBJECT, "server-secret");
        return failure.reason();
    }

    @Test
    void whenTheIdpIssuesATokenThenItIsReturnedWithItsExpiry() throws Exception {
        ExchangeOutcome outcome = answer(200, "{\"access_token\":\"new-token\",\"expires_in\":300,\"token_type\":\"Bearer\"}");

        assertThat(outcome).isInstanceOfSatisfying(ExchangeOutcome.Issued.class, issued -> {
            assertThat(issued.token().value()).isEqualTo("new-token");
            assertThat(issued.token().expiresAt()).isAfter(Instant.now().plusSeconds(290));
        });
        RecordedRequest request = idp.takeRequest();
        assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void whenTheAnswerIsNotInAudienceThenNotInAudience() {
        assertThat(reason(answer(403, "{\"error\":\"access_denied\",\"error_description\":\"Client is not within the token audience\"}")))
                .isEqualTo(ExchangeFailure.Reason.NOT_IN_AUDIENCE);
    }

    @Test
    void whenTheAnswerIsInvalidScopeThenScopeNotAllowed() {
        assertThat(reason(answer(400, "{\"error\":\"invalid_scope\",\"error_description\":\"Scopes [x] not present\"}")))
                .isEqualTo(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED);
    }

    @Test
    void whenTheAnswerIsAnotherClientErrorThenRejected() {
        assertThat(reason(answer(401, "{\"error\":\"invalid_client\"}"))).isEqualTo(ExchangeFailure.Reason.REJECTED);
        assertThat(reason(answer(400, "not json"))).isEqualTo(ExchangeFailure.Reason.REJECTED);
    }

    @Test
    void whenTheIdpFailsOrAnswersGarbageThenUnavailable() {
        assertThat(reason(answer(503, "{}"))).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE);
        assertThat(reason(answer(200, "<html>"))).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE);
        assertThat(reason(answer(200, "{\"access_token\":\"t\"}"))).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE);
    }

    @Test
    void whenTheIdpIsTooSlowThenUnavailable() {
        idp.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build());

        assertThat(reason(exchange().exchange(SUBJECT, CALLER, ORDERS))).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE);
    }

    @Test
    void whenNothingListensThenUnavailable() {
        KeycloakTokenExchange nowhere = KeycloakTokenExchange.builder().issuer(CALLER.issuer())
                .tokenEndpoint(URI.create("http://127.0.0.1:" + FreePort.find() + "/token"))
                .clientId("mcp-server").clientSecret("server-secret").build();

        assertThat(reason(nowhere.exchange(SUBJECT, CALLER, ORDERS))).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE);
    }

    @Test
    void whenARequestCarriesAuthorizationThenDownstreamCallsRefusesIt() {
        DownstreamCalls calls = DownstreamCalls.create(DownstreamTokens.builder().exchanger(exchange()).build(),
                new OkHttpClient());
        Request request = new Request.Builder().url(idp.url("/orders")).header("Authorization", "Bearer " + SUBJECT).build();

        assertThatThrownBy(() -> calls.send(CALLER, ORDERS, request)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Authorization").hasMessageNotContaining(SUBJECT);
        assertThat(idp.getRequestCount()).isZero();
    }

    @Test
    void whenARequestCarriesTheCallersTokenElsewhereThenDownstreamCallsRefusesIt() {
        DownstreamCalls calls = DownstreamCalls.create(DownstreamTokens.builder().exchanger(exchange()).build(),
                new OkHttpClient());

        assertThatThrownBy(() -> calls.send(CALLER, ORDERS, new Request.Builder().url(idp.url("/orders"))
                .header("X-Forwarded-Token", SUBJECT).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SUBJECT);
        assertThatThrownBy(() -> calls.send(CALLER, ORDERS, new Request.Builder()
                .url(idp.url("/orders?t=" + SUBJECT)).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SUBJECT);
        assertThat(idp.getRequestCount()).isZero();
    }

    @Test
    void whenTheExchangeWorksThenDownstreamCallsSendsOnlyTheExchangedToken() throws Exception {
        idp.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"access_token\":\"exchanged-token\",\"expires_in\":300,\"token_type\":\"Bearer\"}").build());
        idp.enqueue(new MockResponse.Builder().code(200).body("[]").build());
        DownstreamCalls calls = DownstreamCalls.create(DownstreamTokens.builder().exchanger(exchange()).build(),
                new OkHttpClient());

        try (var response = calls.send(CALLER, ORDERS, new Request.Builder().url(idp.url("/orders")).build())) {
            assertThat(response.code()).isEqualTo(200);
        }
        idp.takeRequest();
        RecordedRequest api = idp.takeRequest();
        assertThat(api.getHeaders().get("Authorization")).isEqualTo("Bearer exchanged-token");
    }

    @Test
    void whenTheExchangeFailsThenDownstreamCallsThrowsTheTypedFailure() {
        idp.enqueue(new MockResponse.Builder().code(503).build());
        DownstreamCalls calls = DownstreamCalls.create(DownstreamTokens.builder().exchanger(exchange()).build(),
                new OkHttpClient());

        assertThatThrownBy(() -> calls.send(CALLER, ORDERS, new Request.Builder().url(idp.url("/orders")).build()))
                .isInstanceOfSatisfying(DownstreamException.class,
                        e -> assertThat(e.failure().reason()).isEqualTo(ExchangeFailure.Reason.UNAVAILABLE));
    }

    @Test
    void whenAsManyResponsesAsTheBoundAreOpenThenTheNextCallWaitsThenFailsAndClosingOneLetsItThrough()
            throws Exception {
        idp.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"access_token\":\"exchanged-token\",\"expires_in\":300,\"token_type\":\"Bearer\"}").build());
        idp.enqueue(new MockResponse.Builder().code(200).body("[1]").build());
        idp.enqueue(new MockResponse.Builder().code(200).body("[2]").build());
        DownstreamCalls calls = DownstreamCalls.create(DownstreamTokens.builder().exchanger(exchange()).build(),
                new OkHttpClient(), 1);
        Request orders = new Request.Builder().url(idp.url("/orders")).build();

        var first = calls.send(CALLER, ORDERS, orders);
        assertThatThrownBy(() -> calls.send(CALLER, ORDERS, orders)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("too many calls in flight");
        assertThat(first.body().string()).isEqualTo("[1]");
        first.close();
        try (var second = calls.send(CALLER, ORDERS, orders)) {
            assertThat(second.body().string()).isEqualTo("[2]");
        }
    }
}
