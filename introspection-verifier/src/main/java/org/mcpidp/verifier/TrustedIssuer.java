package org.mcpidp.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

    private final String issuer;
    private final TokenMode mode;
    private final Optional<URI> metadataUrl;
    private final Optional<URI> jwksUri;
    private final Optional<URI> introspectionEndpoint;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final ClientAuthentication clientAuthentication;
    private final Set<String> algorithms;
    private final Duration jwksMinRefreshInterval;
    private final Optional<CustomVerification> customVerification;
    private final Set<String> tenants;
    private final boolean appRolesAsScopes;

    private TrustedIssuer(Builder builder) {
        this.issuer = builder.issuer;
        this.mode = builder.mode;
        this.metadataUrl = builder.metadataUrl;
        this.jwksUri = builder.jwksUri;
        this.introspectionEndpoint = builder.introspectionEndpoint;
        this.clientId = builder.clientId;
        this.clientSecret = builder.clientSecret;
        this.clientAuthentication = builder.clientAuthentication;
        this.algorithms = Set.copyOf(builder.algorithms);
        this.jwksMinRefreshInterval = builder.jwksMinRefreshInterval;
        this.customVerification = builder.customVerification;
        this.tenants = Set.copyOf(builder.tenants);
        this.appRolesAsScopes = builder.appRolesAsScopes;
    }

    /** JWT access tokens checked against the issuer's JWKS. */
    public static Builder jwt(String issuer) {
        return new Builder(issuer, TokenMode.JWT);
    }

    /** Tokens introspected (RFC 7662) as the confidential client {@code clientId}. */
    public static Builder introspection(String issuer, String clientId, String clientSecret) {
        Builder builder = new Builder(issuer, TokenMode.INTROSPECTION);
        builder.clientId = Optional.of(requireText(clientId, "introspection client id"));
        builder.clientSecret = Optional.of(requireText(clientSecret, "introspection client secret"));
        return builder;
    }

    /** Tokens turned into an {@link AuthInfo} by {@code verification}; the policy still applies. */
    public static Builder custom(String issuer, CustomVerification verification) {
        Builder builder = new Builder(issuer, TokenMode.CUSTOM);
        builder.customVerification = Optional.of(Objects.requireNonNull(verification, "verification"));
        return builder;
    }

    public String issuer() {
        return issuer;
    }

    public TokenMode mode() {
        return mode;
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

    public Optional<URI> jwksUri() {
        return jwksUri;
    }

    public Optional<URI> introspectionEndpoint() {
        return introspectionEndpoint;
    }

    public Optional<String> clientId() {
        return clientId;
    }

    Optional<String> clientSecret() {
        return clientSecret;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    public Set<String> algorithms() {
        return algorithms;
    }

    public Duration jwksMinRefreshInterval() {
        return jwksMinRefreshInterval;
    }

    Optional<CustomVerification> customVerification() {
        return customVerification;
    }

    /** True when this issuer's metadata must be fetched before tokens can be checked. */
    boolean needsMetadata() {
        return switch (mode) {
            case JWT -> jwksUri.isEmpty();
            case INTROSPECTION -> introspectionEndpoint.isEmpty();
            case CUSTOM -> false;
        };
    }

    @Override
    public String toString() {
        // Never the secret.
        return "TrustedIssuer[" + issuer + ", " + mode + clientId.map(id -> ", client=" + id).orElse("") + "]";
    }

    /** Builds a {@link TrustedIssuer}; {@link #build()} validates URLs and algorithms. */
    public static final class Builder {
        private final String issuer;
        private final TokenMode mode;
        private Optional<URI> metadataUrl = Optional.empty();
        private Optional<URI> jwksUri = Optional.empty();
        private Optional<URI> introspectionEndpoint = Optional.empty();
        private Optional<String> clientId = Optional.empty();
        private Optional<String> clientSecret = Optional.empty();
        private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;
        private final Set<String> algorithms = new LinkedHashSet<>(List.of(
                "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));
        private Duration jwksMinRefreshInterval = Duration.ofSeconds(30);
        private Optional<CustomVerification> customVerification = Optional.empty();
        private final Set<String> tenants = new LinkedHashSet<>();
        private boolean appRolesAsScopes;

        private Builder(String issuer, TokenMode mode) {
            requireText(issuer, "issuer");
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
            this.clientAuthentication = Objects.requireNonNull(value);
            return this;
        }

        /** Replaces the accepted JWS algorithms; only asymmetric ones exist here. */
        public Builder algorithms(String... names) {
            algorithms.clear();
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
            this.jwksMinRefreshInterval = value;
            return this;
        }

        public TrustedIssuer build() {
            if (issuer.contains(TENANT_PLACEHOLDER)) {
                if (mode != TokenMode.JWT) {
                    throw new IllegalStateException("issuer templates (" + TENANT_PLACEHOLDER + ") are for JWT issuers only");
                }
                if (metadataUrl.isEmpty() && jwksUri.isEmpty()) {
                    throw new IllegalStateException("multi-tenant issuer " + issuer + " needs metadataUrl(...) (e.g. "
                            + "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration) or jwksUri(...)");
                }
                if (tenants.isEmpty()) {
                    throw new IllegalStateException("multi-tenant issuer " + issuer
                            + " needs an allow-list of tenant ids (tenants(...)); accepting every tenant is never safe");
                }
            } else if (!tenants.isEmpty()) {
                throw new IllegalStateException("tenants(...) applies only to an issuer template with " + TENANT_PLACEHOLDER);
            }
            if (mode == TokenMode.JWT && algorithms.isEmpty()) {
                throw new IllegalStateException("issuer " + issuer + ": at least one JWS algorithm is needed");
            }
            return new TrustedIssuer(this);
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    private static URI httpUrl(String value, String what) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + value);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http(s) URL with a host: " + value);
        }
        return uri;
    }
}
