package org.mcpidp.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * {@link KeycloakTokenExchange} and {@link DownstreamTokens} against a real Keycloak 26.7.3, in a realm shaped as
 * idp-provisioning makes it for a downstream API (see DownstreamScopes there): the MCP token carries orders:read when
 * the roles allow it, the MCP server's client has the API's audience scope and token exchange on, and the
 * downscope-assertion-grant-enforcer applies to every exchange. Users get tokens by direct grant (test realm only).
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakTokenExchangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", Set.of("orders:read"));

    private static TestRealm realm;
    private static String serverSecret;
    private static String testerSecret;
    private static String agentSecret;
    private static String outsiderSecret;
    private static KeycloakTokenExchange exchange;
    private static TokenVerifier verifier;

    @BeforeAll
    static void realmWithADownstreamApi(KeycloakServer server) {
        realm = TestRealm.create(server);
        realm.realmRole("reader");
        realm.realmRole("writer");
        String mcpRead = realm.clientScope("mcp:read", "mcp-server");
        String ordersRead = realm.clientScope("orders:read");
        String audience = server.admin().post(realm.path("client-scopes"), Map.of("name", "orders-api",
                "protocol", "openid-connect", "attributes", Map.of("include.in.token.scope", "false"),
                "protocolMappers", List.of(Map.of("name", "aud", "protocol", "openid-connect",
                        "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.client.audience",
                                "orders-api", "access.token.claim", "true", "introspection.token.claim", "true")))))
                .orElseThrow();
        for (String scope : List.of(mcpRead, ordersRead, audience)) {
            server.admin().post(realm.path("client-scopes/" + scope + "/scope-mappings/realm"),
                    (scope.equals(mcpRead) ? List.of("reader", "writer") : List.of("reader")).stream()
                            .map(r -> server.admin().get(realm.path("roles/" + r))).toList());
        }
        serverSecret = realm.resourceServerClient("mcp-server");
        realm.setClientAttribute("mcp-server", "standard.token.exchange.enabled", "true");
        String serverUuid = realm.clientUuid("mcp-server");
        server.admin().put(realm.path("clients/" + serverUuid + "/optional-client-scopes/" + ordersRead), Map.of());
        server.admin().put(realm.path("clients/" + serverUuid + "/default-client-scopes/" + audience), Map.of());
        realm.resourceServerClient("orders-api");
        testerSecret = realm.agentClient("tester", "mcp:read");
        agentSecret = realm.agentClient("agent-reader", "mcp:read");
        outsiderSecret = realm.agentClient("outsider");
        for (String client : List.of("tester", "agent-reader", "outsider")) {
            server.admin().put(realm.path("clients/" + realm.clientUuid(client) + "/default-client-scopes/" + ordersRead),
                    Map.of());
        }
        realm.grantRealmRoleToAgent("agent-reader", "reader");
        realm.grantRealmRoleToAgent("outsider", "reader");
        realm.user("alice", "alice-pw-1", "reader");
        realm.user("carol", "carol-pw-1", "writer");
        server.admin().put(realm.path("client-policies/profiles"), Map.of("profiles", List.of(Map.of("name", "downscope",
                "executors", List.of(Map.of("executor", "downscope-assertion-grant-enforcer", "configuration", Map.of()))))));
        server.admin().put(realm.path("client-policies/policies"), Map.of("policies", List.of(Map.of("name", "downscope",
                "enabled", true, "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                "profiles", List.of("downscope")))));
        exchange = KeycloakTokenExchange.builder().issuer(realm.issuer())
                .clientId("mcp-server").clientSecret(serverSecret).build();
        verifier = TokenVerifier.builder().policy(AccessPolicy.builder().audiences("mcp-server").build())
                .issuer(TrustedIssuer.jwt(realm.issuer()).build()).build();
    }

    /** Everything logged while the class ran (java.util.logging, where OkHttp and this module log). */
    private static final StringBuilder LOGGED = new StringBuilder();
    private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            synchronized (LOGGED) {
                LOGGED.append(new java.util.logging.SimpleFormatter().format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void captureLogs() {
        CAPTURE.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void dropRealmAndCheckLogs() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        if (realm != null) {
            realm.close();
        }
        // No JWT-shaped string in anything logged (the CI greps every output for the same shape).
        assertThat(LOGGED.toString()).doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}");
    }

    @Test
    void whenAUserTokenIsExchangedThenTheNewTokenIsForTheApiWithHerSubject() throws Exception {
        String subject = realm.password("tester", testerSecret, "alice", "alice-pw-1", "mcp:read").accessToken();

        DownstreamToken token = issued(exchange.exchange(subject, verifier.verify(subject), ORDERS));

        JsonNode claims = claims(token.value());
        assertThat(audiences(claims)).containsExactly("orders-api");
        assertThat(claims.path("sub").asText()).isEqualTo(claims(subject).path("sub").asText());
        assertThat(claims.path("azp").asText()).isEqualTo("mcp-server");
        assertThat(claims.path("scope").asText().split(" ")).contains("orders:read");
        assertThat(token.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void whenAnAgentTokenIsExchangedThroughTheFacadeThenTheNewTokenIsForTheApiWithItsSubject() throws Exception {
        String subject = realm.clientCredentials("agent-reader", agentSecret, "mcp:read").accessToken();
        AuthInfo caller = verifier.verify(subject);

        DownstreamToken token = issued(DownstreamTokens.builder().exchanger(exchange).build().tokenFor(caller, ORDERS));

        JsonNode claims = claims(token.value());
        assertThat(audiences(claims)).containsExactly("orders-api");
        assertThat(claims.path("sub").asText()).isEqualTo(caller.subject());
        assertThat(claims.path("azp").asText()).isEqualTo("mcp-server");
    }

    @Test
    void whenTheCallersRolesDoNotAllowTheDownstreamScopeThenScopeNotAllowed() throws Exception {
        // carol holds writer: mcp:read yes, orders:read no, so her MCP token lacks it and the enforcer refuses.
        String subject = realm.password("tester", testerSecret, "carol", "carol-pw-1", "mcp:read").accessToken();

        ExchangeFailure failure = failed(exchange.exchange(subject, verifier.verify(subject), ORDERS));

        assertThat(failure.reason()).isEqualTo(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED);
        assertThat(failure.detail()).contains("not present in the initial access token").doesNotContain(subject);
    }

    @Test
    void whenAScopeTheCallerLackedIsAskedForThenRefusedNeverWidened() throws Exception {
        String subject = realm.password("tester", testerSecret, "alice", "alice-pw-1", "mcp:read").accessToken();

        ExchangeFailure failure = failed(exchange.exchange(subject, verifier.verify(subject),
                new DownstreamTarget("orders-api", Set.of("orders:read", "mcp:write"))));

        assertThat(failure.reason()).isEqualTo(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED);
    }

    @Test
    void whenTheSubjectTokenLacksTheServerInItsAudienceThenNotInAudience() throws Exception {
        // outsider's token carries orders:read (so the enforcer lets it through) but no mcp:read: aud lacks mcp-server.
        String subject = realm.clientCredentials("outsider", outsiderSecret, "").accessToken();
        assertThat(audiences(claims(subject))).doesNotContain("mcp-server");
        AuthInfo caller = new AuthInfo("outsider", Optional.of("outsider"), realm.issuer(), Set.of(), Set.of("orders:read"),
                Set.of(), Instant.now().plusSeconds(60), Map.of()).withToken(CallerToken.of(subject));

        ExchangeFailure failure = failed(exchange.exchange(subject, caller, ORDERS));

        assertThat(failure.reason()).isEqualTo(ExchangeFailure.Reason.NOT_IN_AUDIENCE);
        assertThat(failure.detail()).contains("Client is not within the token audience");
    }

    @Test
    void whenTheClientSecretIsWrongThenRejected() throws Exception {
        String subject = realm.clientCredentials("agent-reader", agentSecret, "mcp:read").accessToken();
        KeycloakTokenExchange wrong = KeycloakTokenExchange.builder().issuer(realm.issuer())
                .tokenEndpoint(URI.create(realm.tokenEndpoint()))
                .clientId("mcp-server").clientSecret("not-the-secret").build();

        assertThat(failed(wrong.exchange(subject, verifier.verify(subject), ORDERS)).reason())
                .isEqualTo(ExchangeFailure.Reason.REJECTED);
    }

    @Test
    void whenTheCallersTokenComesFromAnotherIssuerThenItIsRefusedWithoutAnyCallToTheTokenEndpoint(KeycloakServer server)
            throws Exception {
        // A server trusting two realms: B's caller must never reach A's token endpoint (A would learn B's token).
        try (TestRealm other = TestRealm.create(server)) {
            other.resourceServerClient("mcp-server");
            other.clientScope("mcp:read", "mcp-server");
            String otherAgent = other.agentClient("agent-reader", "mcp:read");
            String foreign = other.clientCredentials("agent-reader", otherAgent, "mcp:read").accessToken();
            AuthInfo foreignCaller = TokenVerifier.builder()
                    .policy(AccessPolicy.builder().audiences("mcp-server").build())
                    .issuer(TrustedIssuer.jwt(other.issuer()).build()).build().verify(foreign);
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            okhttp3.OkHttpClient counting = new okhttp3.OkHttpClient.Builder().addInterceptor(chain -> {
                calls.incrementAndGet();
                return chain.proceed(chain.request());
            }).build();
            KeycloakTokenExchange realmA = KeycloakTokenExchange.builder().issuer(realm.issuer())
                    .clientId("mcp-server").clientSecret(serverSecret).httpClient(counting).build();

            ExchangeFailure failure = failed(realmA.exchange(foreign, foreignCaller, ORDERS));

            assertThat(failure.reason()).isEqualTo(ExchangeFailure.Reason.ISSUER_NOT_ALLOWED);
            assertThat(failure.detail()).contains(other.issuer(), realm.issuer()).doesNotContain(foreign);
            assertThat(calls.get()).as("no request to the token endpoint").isZero();
            // the same exchanger, with a caller of its own issuer, does call (so the counter counts)
            String own = realm.clientCredentials("agent-reader", agentSecret, "mcp:read").accessToken();
            issued(realmA.exchange(own, verifier.verify(own), ORDERS));
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void whenNoIssuerIsNamedThenTheExchangeCannotBeBuilt() {
        assertThatThrownBy(() -> KeycloakTokenExchange.builder().tokenEndpoint(URI.create(realm.tokenEndpoint()))
                .clientId("mcp-server").clientSecret(serverSecret).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
    }

    private static DownstreamToken issued(ExchangeOutcome outcome) {
        assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
        return ((ExchangeOutcome.Issued) outcome).token();
    }

    private static ExchangeFailure failed(ExchangeOutcome outcome) {
        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        return ((ExchangeOutcome.Failed) outcome).failure();
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        return aud.isArray() ? StreamSupport.stream(aud.spliterator(), false).map(JsonNode::asText).toList()
                : aud.isMissingNode() ? List.of() : List.of(aud.asText());
    }
}
