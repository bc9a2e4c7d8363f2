package org.mcpidp.downstream;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.http.Checks;
import org.mcpidp.http.CallLimiter;
import org.mcpidp.http.HttpClientSettings;
import org.mcpidp.http.OkHttpClients;
import org.mcpidp.verifier.AuthInfo;

/**
 * Keycloak's standard token exchange (RFC 8693, "V2"): the MCP server's confidential client trades the caller's
 * access token for one whose {@code aud} is the downstream API. Keycloak keeps {@code sub}, sets {@code azp} to the
 * exchanging client and, with the provisioned {@code downscope-assertion-grant-enforcer}, never grants a scope the
 * caller's token did not have.
 * <pre>{@code
 * TokenExchanger exchange = KeycloakTokenExchange.builder()
 *         .issuer("http://127.0.0.1:8180/realms/mcp-demo")   // required: whose tokens it exchanges
 *         .clientId("mcp-server").clientSecret(System.getenv("MCP_SERVER_SECRET"))
 *         .build();
 * }</pre>
 * An exchanger belongs to one issuer: a caller's token goes only to the token endpoint of the realm that issued it.
 * A token of another issuer (a server trusting several) is refused with ISSUER_NOT_ALLOWED before any call: sending
 * it to this realm would hand one IdP's token to another. With several Keycloak issuers, build one per issuer.
 * <p>Answers: 200 with an access token -> issued; 403 "Client is not within the token audience" -> NOT_IN_AUDIENCE;
 * {@code invalid_scope} -> SCOPE_NOT_ALLOWED; other 4xx -> REJECTED; 5xx, 429, I/O errors, timeouts, garbage, or too
 * many exchanges in flight -> UNAVAILABLE. No token ever appears in a failure's detail or a log line.
 */
public final class KeycloakTokenExchange implements TokenExchanger {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final String issuer;
    private final URI tokenEndpoint;
    private final String authorization;
    private final OkHttpClient http;
    private final CallLimiter limiter;
    private final ExchangeAnswers answers;

    private KeycloakTokenExchange(Builder b) {
        this.issuer = b.issuer;
        this.tokenEndpoint = b.tokenEndpoint != null ? b.tokenEndpoint : Builder.keycloakTokenEndpoint(b.issuer);
        // RFC 6749 2.3.1: form-encode before Basic, so ':' and non-ASCII in ids and secrets survive.
        this.authorization = Credentials.basic(formEncode(b.clientId), formEncode(b.clientSecret));
        this.http = OkHttpClients.bounded(b.http, b.settings);
        this.limiter = new CallLimiter(b.settings.maxConcurrent(), b.queueTimeout);
        this.answers = new ExchangeAnswers(b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The issuer whose tokens this exchanger takes, exactly as in their {@code iss}. */
    public String issuer() {
        return issuer;
    }

    @Override
    public ExchangeOutcome exchange(String subjectToken, AuthInfo caller, DownstreamTarget target) {
        if (!issuer.equals(caller.issuer())) {
            return new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.ISSUER_NOT_ALLOWED,
                    "the caller's token was issued by " + caller.issuer() + ", but this token exchange belongs to "
                            + issuer + ": a token is exchanged only at its own issuer's token endpoint"));
        }
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", GRANT_TYPE)
                .add("subject_token", subjectToken)
                .add("subject_token_type", ACCESS_TOKEN_TYPE)
                .add("audience", target.audience());
        if (!target.scopes().isEmpty()) {
            form.add("scope", String.join(" ", target.scopes().stream().sorted().toList()));
        }
        Request request = new Request.Builder().url(tokenEndpoint.toString())
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .post(form.build()).build();
        Optional<CallLimiter.Permit> permit = limiter.acquire();
        if (permit.isEmpty()) {
            return ExchangeAnswers.unavailable("too many token exchanges in progress at the identity provider");
        }
        try (CallLimiter.Permit held = permit.get(); Response response = http.newCall(request).execute()) {
            return answers.read(response, target);
        } catch (java.io.IOException e) {
            return ExchangeAnswers.unavailable("the identity provider could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Settings, each validated when set. */
    public static final class Builder {

        private String issuer;
        private URI tokenEndpoint;
        private String clientId;
        private String clientSecret;
        private HttpClientSettings settings = new HttpClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 16);
        private Duration queueTimeout = Duration.ofMillis(500);
        private OkHttpClient http;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Required: the realm whose tokens this exchanger takes, exactly as their {@code iss} (e.g.
         * {@code https://kc.example.com/realms/mcp}); a caller with another {@code iss} is refused before any call.
         * Its token endpoint is {@code <issuer>/protocol/openid-connect/token} unless {@link #tokenEndpoint} says
         * otherwise.
         */
        public Builder issuer(String value) {
            Objects.requireNonNull(value, "issuer");
            keycloakTokenEndpoint(value); // validates it
            this.issuer = value;
            return this;
        }

        /**
         * The issuer's token endpoint when this server reaches the realm under another address than its issuer URL
         * (docker compose: {@code http://keycloak:8080/...} for the issuer {@code http://localhost:8180/...}). It
         * must be the {@link #issuer}'s own endpoint: an exchange never goes to another realm.
         */
        public Builder tokenEndpoint(URI value) {
            Objects.requireNonNull(value, "tokenEndpoint");
            if (!("http".equals(value.getScheme()) || "https".equals(value.getScheme())) || value.getHost() == null) {
                throw new IllegalArgumentException("tokenEndpoint must be an absolute http(s) URL, got " + value);
            }
            this.tokenEndpoint = value;
            return this;
        }

        static URI keycloakTokenEndpoint(String issuer) {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            URI endpoint = URI.create(base + "/protocol/openid-connect/token");
            if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                throw new IllegalArgumentException("issuer must be an absolute http(s) URL, got " + issuer);
            }
            return endpoint;
        }

        /** Required: the exchanging (resource server's) confidential client, e.g. {@code mcp-server}. */
        public Builder clientId(String value) {
            this.clientId = Checks.text(value, "clientId");
            return this;
        }

        /** Required: that client's secret (never logged). */
        public Builder clientSecret(String value) {
            this.clientSecret = Checks.text(value, "clientSecret");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.settings = settings.withConnectTimeout(value);
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.settings = settings.withReadTimeout(value);
            return this;
        }

        /** Most exchanges in flight at once; past it a caller waits {@link #queueTimeout}, then gets UNAVAILABLE. */
        public Builder maxConcurrent(int value) {
            this.settings = settings.withMaxConcurrent(value);
            return this;
        }

        public Builder queueTimeout(Duration value) {
            this.queueTimeout = Checks.notNegative(value, "queueTimeout");
            return this;
        }

        /** A client to derive from (shares its pools); by default a new one pooling {@link #maxConcurrent} connections. */
        public Builder httpClient(OkHttpClient value) {
            this.http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /** The clock that turns {@code expires_in} into an instant. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public KeycloakTokenExchange build() {
            if (issuer == null) {
                throw new IllegalStateException("KeycloakTokenExchange needs issuer(...): the realm whose tokens it "
                        + "exchanges (a token of another issuer is never sent to its token endpoint)");
            }
            if (clientId == null || clientSecret == null) {
                throw new IllegalStateException("KeycloakTokenExchange needs clientId and clientSecret");
            }
            return new KeycloakTokenExchange(this);
        }
    }
}
