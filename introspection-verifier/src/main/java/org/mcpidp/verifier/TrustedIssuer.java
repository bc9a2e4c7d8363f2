package org.mcpidp.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.http.Checks;
import org.mcpidp.http.WebUrls;

/**
 * An authorization server whose tokens are accepted, and how its tokens are checked.
 *
 * <ul>
 *   <li>{@link TokenMode#JWT}: JWT access tokens verified locally against the issuer's JWKS. Opaque tokens are refused.</li>
 *   <li>{@link TokenMode#INTROSPECTION}: every token (opaque, JWT, Keycloak lightweight) is sent to the issuer's RFC 7662
 *       endpoint, authenticated as this resource server's confidential client. With the cache disabled this is
 *       "always introspect": revocation takes effect on the next request.</li>
 *   <li>{@link TokenMode#CUSTOM}: a {@link CustomVerification} turns the token into an {@link AuthInfo}.</li>
 * </ul>
 * Whatever the mode, the {@link AccessPolicy} then decides. Endpoints come from the issuer's metadata (OIDC discovery,
 * else RFC 8414) unless given explicitly.
 */
public final class TrustedIssuer {

    /** How tokens of an issuer are verified. */
    public enum TokenMode { JWT, INTROSPECTION, CUSTOM }

    /** How the resource server authenticates to the introspection endpoint. */
    public enum ClientAuthentication { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST }

    /** The tenant placeholder of Entra's multi-tenant issuer template. */
    public static final String TENANT_PLACEHOLDER = "{tenantid}";

    /** Asymmetric JWS algorithms only: HMAC with a public key and {@code none} can never be configured. */
    static final Set<String> SUPPORTED_ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519");

    static final Duration DEFAULT_JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    private final String issuer;
    private final Optional<URI> metadataUrl;
    private final IssuerChecks checks;
    private final Set<String> tenants;
    private final boolean appRolesAsScopes;

    private TrustedIssuer(Builder builder, IssuerChecks checks) {
        this.issuer = builder.issuer;
        this.metadataUrl = builder.metadataUrl;
        this.checks = checks;
        this.tenants = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(builder.tenants)); // keeps their order
        this.appRolesAsScopes = builder.appRolesAsScopes;
    }

    /** JWT access tokens checked against the issuer's JWKS. */
    public static Builder jwt(String issuer) {
        return new Builder(issuer, TokenMode.JWT);
    }

    /** Tokens introspected (RFC 7662) as the confidential client {@code clientId}. */
    public static Builder introspection(String issuer, String clientId, String clientSecret) {
        Builder builder = new Builder(issuer, TokenMode.INTROSPECTION);
        builder.clientId = Checks.text(clientId, "introspection client id");
        builder.clientSecret = Checks.text(clientSecret, "introspection client secret");
        return builder;
    }

    /** Tokens turned into an {@link AuthInfo} by {@code verification}; the policy still applies. */
    public static Builder custom(String issuer, CustomVerification verification) {
        Builder builder = new Builder(issuer, TokenMode.CUSTOM);
        builder.customVerification = Objects.requireNonNull(verification, "verification");
        return builder;
    }

    public String issuer() {
        return issuer;
    }

    public TokenMode mode() {
        return switch (checks) {
            case IssuerChecks.Jwt jwt -> TokenMode.JWT;
            case IssuerChecks.Introspection introspection -> TokenMode.INTROSPECTION;
            case IssuerChecks.Custom custom -> TokenMode.CUSTOM;
        };
    }

    /** The mode's own settings; the verifier switches over these. */
    IssuerChecks checks() {
        return checks;
    }

    /**
     * Microsoft Entra ID access tokens (JWT only: Entra has no introspection for third-party APIs).
     *
     * <ul>
     *   <li>v2 tokens of one tenant: {@code https://login.microsoftonline.com/<tenant id>/v2.0}</li>
     *   <li>v1 tokens of one tenant: {@code https://sts.windows.net/<tenant id>/}; set {@link Builder#metadataUrl}
     *       to {@code https://login.microsoftonline.com/<tenant id>/.well-known/openid-configuration}</li>
     *   <li>multi-tenant: {@code https://login.microsoftonline.com/{tenantid}/v2.0} plus {@link Builder#tenants}: a
     *       token's {@code iss} must equal the template with the token's own {@code tid}, and {@code tid} must be
     *       allowed</li>
     * </ul>
     * Scopes come from {@code scp}, app roles from {@code roles}; audiences are the API's appId GUID (v2) or App ID
     * URI (v1), configured in the {@link AccessPolicy}.
     */
    public static Builder entra(String issuerOrTemplate) {
        return new Builder(issuerOrTemplate, TokenMode.JWT).appRolesAsScopes(true);
    }

    /**
     * True when the values of {@code roles} also count as granted scopes: Entra gives app-only (client credentials)
     * tokens app roles, never {@code scp}, so an agent holding app role {@code mcp:read} passes a tool that needs
     * scope {@code mcp:read}. On by default for {@link #entra}, off otherwise.
     */
    public boolean appRolesAsScopes() {
        return appRolesAsScopes;
    }

    /** True when the issuer is a multi-tenant template containing {@value #TENANT_PLACEHOLDER}. */
    public boolean isTemplate() {
        return issuer.contains(TENANT_PLACEHOLDER);
    }

    /** Tenant ids accepted by a multi-tenant template issuer. */
    public Set<String> tenants() {
        return tenants;
    }

    /**
     * The issuers this one stands for, as URLs a client can use (e.g. in RFC 9728 {@code authorization_servers}):
     * the issuer itself, or for a multi-tenant template one issuer per allowed tenant, the template with the tenant
     * id, in configuration order. Never contains {@value #TENANT_PLACEHOLDER}.
     */
    public List<String> concreteIssuers() {
        if (!isTemplate()) {
            return List.of(issuer);
        }
        return tenants.stream().map(tenant -> issuer.replace(TENANT_PLACEHOLDER, tenant)).toList();
    }

    /**
     * The issuer a token with this {@code tid} must carry: the issuer itself, or for a template the template with
     * {@code tid} substituted. Empty when the tenant is not allowed.
     */
    Optional<String> expectedIssuer(Optional<String> tid) {
        if (!isTemplate()) {
            return Optional.of(issuer);
        }
        return tid.filter(tenants::contains).map(t -> issuer.replace(TENANT_PLACEHOLDER, t));
    }

    /** The discovery document to read; by default {@code <issuer>/.well-known/openid-configuration}, then RFC 8414. */
    public Optional<URI> metadataUrl() {
        return metadataUrl;
    }

    /** The configured JWKS URI of a JWT issuer; empty when discovered, and for the other modes. */
    public Optional<URI> jwksUri() {
        return checks instanceof IssuerChecks.Jwt jwt ? jwt.jwksUri() : Optional.empty();
    }

    /** The configured introspection endpoint; empty when discovered, and for the other modes. */
    public Optional<URI> introspectionEndpoint() {
        return checks instanceof IssuerChecks.Introspection introspection ? introspection.endpoint() : Optional.empty();
    }

    /** The introspection client id; empty for the other modes. */
    public Optional<String> clientId() {
        return checks instanceof IssuerChecks.Introspection introspection ? Optional.of(introspection.clientId()) : Optional.empty();
    }

    /** How the introspection client authenticates; {@code CLIENT_SECRET_BASIC} for the other modes. */
    public ClientAuthentication clientAuthentication() {
        return checks instanceof IssuerChecks.Introspection introspection
                ? introspection.clientAuthentication() : ClientAuthentication.CLIENT_SECRET_BASIC;
    }

    /** The accepted JWS algorithms of a JWT issuer; empty for the other modes (they verify no signature). */
    public Set<String> algorithms() {
        return checks instanceof IssuerChecks.Jwt jwt ? jwt.algorithms() : Set.of();
    }

    public Duration jwksMinRefreshInterval() {
        return checks instanceof IssuerChecks.Jwt jwt ? jwt.jwksMinRefreshInterval() : DEFAULT_JWKS_MIN_REFRESH;
    }

    /** True when this issuer's metadata must be fetched before tokens can be checked. */
    boolean needsMetadata() {
        return switch (checks) {
            case IssuerChecks.Jwt jwt -> jwt.jwksUri().isEmpty();
            case IssuerChecks.Introspection introspection -> introspection.endpoint().isEmpty();
            case IssuerChecks.Custom custom -> false;
        };
    }

    @Override
    public String toString() {
        // Never the secret.
        return "TrustedIssuer[" + issuer + ", " + mode() + clientId().map(id -> ", client=" + id).orElse("") + "]";
    }

    /** Builds a {@link TrustedIssuer}; {@link #build()} validates URLs and algorithms. */
    public static final class Builder {
        // Package-private: IssuerRules reads them when build() checks the combination.
        final String issuer;
        final TokenMode mode;
        Optional<URI> metadataUrl = Optional.empty();
        Optional<URI> jwksUri = Optional.empty();
        Optional<URI> introspectionEndpoint = Optional.empty();
        String clientId;
        String clientSecret;
        Optional<ClientAuthentication> clientAuthentication = Optional.empty();
        final Set<String> algorithms = new LinkedHashSet<>(List.of(
                "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));
        boolean algorithmsChosen;
        Optional<Duration> jwksMinRefreshInterval = Optional.empty();
        CustomVerification customVerification;
        final Set<String> tenants = new LinkedHashSet<>();
        boolean appRolesAsScopes;

        private Builder(String issuer, TokenMode mode) {
            Checks.text(issuer, "issuer");
            httpUrl(issuer.replace(TENANT_PLACEHOLDER, "tenant"), "issuer");
            this.issuer = issuer;
            this.mode = mode;
        }

        /** Whether {@code roles} values also count as scopes (see {@link TrustedIssuer#appRolesAsScopes()}). */
        public Builder appRolesAsScopes(boolean value) {
            this.appRolesAsScopes = value;
            return this;
        }

        /** The tenants a multi-tenant ({@value #TENANT_PLACEHOLDER}) issuer accepts; required for a template. */
        public Builder tenants(String... tenantIds) {
            for (String tenant : tenantIds) {
                if (tenant == null || !tenant.matches("[A-Za-z0-9-]{1,64}")) {
                    throw new IllegalArgumentException("tenant id must be a GUID-like value: " + tenant);
                }
                tenants.add(tenant);
            }
            return this;
        }

        public Builder metadataUrl(String url) {
            this.metadataUrl = Optional.of(httpUrl(url, "metadata URL"));
            return this;
        }

        public Builder jwksUri(String url) {
            this.jwksUri = Optional.of(httpUrl(url, "JWKS URI"));
            return this;
        }

        public Builder introspectionEndpoint(String url) {
            this.introspectionEndpoint = Optional.of(httpUrl(url, "introspection endpoint"));
            return this;
        }

        public Builder clientAuthentication(ClientAuthentication value) {
            this.clientAuthentication = Optional.of(Objects.requireNonNull(value));
            return this;
        }

        /** Replaces the accepted JWS algorithms; only asymmetric ones exist here. */
        public Builder algorithms(String... names) {
            algorithms.clear();
            algorithmsChosen = true;
            for (String name : names) {
                if (!SUPPORTED_ALGORITHMS.contains(name)) {
                    throw new IllegalArgumentException("JWS algorithm '" + name + "' is not allowed; choose from "
                            + SUPPORTED_ALGORITHMS + " (never none, never HMAC)");
                }
                algorithms.add(name);
            }
            return this;
        }

        /** Fewest time between two JWKS fetches caused by an unknown {@code kid} (a flood of kids stays one fetch). */
        public Builder jwksMinRefreshInterval(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("jwksMinRefreshInterval must not be negative");
            }
            this.jwksMinRefreshInterval = Optional.of(value);
            return this;
        }

        public TrustedIssuer build() {
            return new TrustedIssuer(this, IssuerRules.checks(this));
        }
    }

    private static URI httpUrl(String value, String what) {
        return WebUrls.parseWeb(value, what);
    }
}
