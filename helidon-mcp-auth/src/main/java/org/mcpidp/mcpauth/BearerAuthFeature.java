package org.mcpidp.mcpauth;

import io.helidon.common.Weighted;
import io.helidon.config.Config;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.spi.ServerFeature;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;

/**
 * Makes the MCP endpoint of a Helidon WebServer an OAuth 2.1 resource server (MCP authorization, RFC 6750, RFC 9728):
 * a filter on {@code <mcp path>} and below that verifies the bearer token with a {@link TokenVerifier}, answers
 * 401/403/503 with {@code WWW-Authenticate} challenges, enforces each tool's {@link ToolRequirement}, hides from
 * {@code tools/list} what a caller may not call, binds MCP sessions to the principal that opened them, and serves the
 * protected resource metadata. The verified {@link AuthInfo} is in the request context:
 * {@code request.requestContext().get(AuthInfo.class)} in a tool.
 *
 * <pre>{@code
 * BearerAuthFeature auth = BearerAuthFeature.builder()
 *         .config(config)                          // mcp.* and server.host/port, see Builder#config
 *         .addTool(new OrderStatusTool())          // a GuardedTool: it declares its ToolRequirement
 *         .mcpServer(McpServerConfig.builder().name("products"))
 *         .build();
 * WebServer.builder().config(config.get("server")).addFeature(auth)
 *         .routing(routing -> routing.addFeature(auth.mcpServerFeature()))
 * }</pre>
 *
 * Tools are registered once, here: the feature adds them to the MCP extension it builds and refuses to start when a
 * tool declares no requirement, or when a tool reached the extension some other way (it would be unguarded). Added
 * like Helidon's own server features (a {@link ServerFeature} that installs a routing feature on each socket); its
 * weight puts its routes and filter before the MCP extension's.
 */
public final class BearerAuthFeature implements ServerFeature, Weighted {

    /** What the MCP extension may keep per session of its requests (see {@link Builder#build}). */
    static final int REQUESTS_KEPT_PER_SESSION = 64;

    /** Above the MCP extension's routes (default weight 100), so the metadata routes and the filter come first. */
    public static final double WEIGHT = 900;
    /** The environment variable that must be {@code true} for {@code mcp.auth.enabled: false} to be accepted. */
    public static final String AUTH_DISABLED_ACK = FeatureConfig.AUTH_DISABLED_ACK;
    private static final String TYPE = "mcp-bearer-auth";

    private final Optional<TokenVerifier> verifier;
    private final URI resource;
    private final Map<String, ToolRequirement> tools;
    private final McpServerFeature mcpServerFeature;
    private final AuthStages stages;
    private final Set<String> sockets;

    private BearerAuthFeature(URI resource, TokenVerifier verifier, ToolRegistration registration,
                              AuthStages stages, Set<String> sockets) {
        this.sockets = sockets;
        this.resource = resource;
        this.verifier = Optional.ofNullable(verifier);
        this.tools = registration.requirements();
        this.mcpServerFeature = registration.extension();
        this.stages = stages;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setup(ServerFeatureContext featureContext) {
        UnguardedExtensions.refuse(featureContext.serverConfig(), mcpServerFeature, sockets);
        // Only the listeners that serve MCP: the observe port (health, metrics) gets no MCP routes nor stages.
        for (String socket : sockets) {
            if (!WebServer.DEFAULT_SOCKET_NAME.equals(socket) && !featureContext.sockets().contains(socket)) {
                throw new IllegalStateException("BearerAuthFeature guards listener '" + socket + "' (sockets(...)), "
                        + "which the server does not have; it has " + featureContext.sockets());
            }
            featureContext.socket(socket).httpRouting().addFeature(stages.routing());
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public double weight() {
        return WEIGHT;
    }

    /**
     * The MCP extension built from {@link Builder#mcpServer} with the registered tools: add it to the routing.
     *
     * @throws IllegalStateException when no extension was given to the builder
     */
    public McpServerFeature mcpServerFeature() {
        if (mcpServerFeature == null) {
            throw new IllegalStateException("BearerAuthFeature was built without mcpServer(...)");
        }
        return mcpServerFeature;
    }

    /** The token verifier (for readiness and its statistics); empty only when authentication is off. */
    public Optional<TokenVerifier> verifier() {
        return verifier;
    }

    /** Where clients find the protected resource metadata (the {@code resource_metadata} of every challenge). */
    public String resourceMetadataUrl() {
        return stages.metadata().metadataUrl();
    }

    /** The resource identifier (the audience tokens must carry). */
    public URI resource() {
        return resource;
    }

    /** Scopes named in metadata and in the 401 challenge. */
    public Set<String> scopesSupported() {
        return stages.scopesSupported();
    }

    /** Session counts: open now, closed for capacity or idleness, refused per subject, duplicate request ids. */
    public SessionStats sessionStats() {
        return stages.sessions().stats();
    }

    /** The registered tools' requirements (for tests of the registration). */
    Map<String, ToolRequirement> tools() {
        return tools;
    }

    /** The protected resource metadata JSON as served (for tests). */
    String metadataDocument() {
        return stages.metadata().document();
    }

    /**
     * Builds a {@link BearerAuthFeature}; a verifier (or the issuers to build one) and the resource URL (or a concrete
     * listen address to derive it from) are required, unless authentication is disabled.
     */
    public static final class Builder extends FeatureSettings {

        private Builder() {
        }

        /**
         * Everything but the tools from configuration, as documented in docs/configuration.md: {@code mcp.path},
         * {@code mcp.resource}, {@code mcp.resource-name}, {@code mcp.resource-documentation},
         * {@code mcp.max-body-size}, {@code mcp.allowed-origins}, {@code mcp.allowed-hosts}, {@code mcp.sessions.*},
         * {@code mcp.auth.*} (issuers, audiences, leeway, cache, timeouts, ... : the verifier is built from them),
         * and {@code server.host}/{@code server.port} as the listen address. Later setters override.
         *
         * @param config the root configuration (e.g. {@code Config.create()})
         * @throws IllegalStateException naming the key of a missing, invalid or contradictory value
         */
        public Builder config(Config config) {
            return config(config, System.getenv());
        }

        /** {@link #config(Config)}, with the environment consulted for {@link #AUTH_DISABLED_ACK} given. */
        Builder config(Config config, Map<String, String> env) {
            FeatureConfig.apply(Objects.requireNonNull(config, "config"), this, env);
            return this;
        }

        /**
         * The feature as configured now. Repeatable: the builder is not changed, nor is an MCP extension builder
         * given to {@link #mcpServer} (the feature builds a copy of it with the registered tools).
         */
        public BearerAuthFeature build() {
            URI resolved = resource != null ? resource : Urls.defaultResource(listenHost, listenPort, mcpPath);
            TokenVerifier tokens = verifier == null && enabled && verifierFactory != null
                    ? verifierFactory.apply(resolved) : verifier;
            if (enabled && tokens == null) {
                throw new IllegalStateException("BearerAuthFeature needs a TokenVerifier (verifier(...)) or the "
                        + "issuers to build one (config(...) with mcp.auth.issuers)");
            }
            if (enabled && authorizationServers.isEmpty() && tokens.issuers().isEmpty()) {
                throw new IllegalStateException("no authorization server to name in the protected resource metadata");
            }
            if (sdkEngine != null && (mcpServerConfig != null || !guardedTools.isEmpty())) {
                throw new IllegalStateException("one engine per feature: engine(SdkEngine) serves the MCP Java SDK's "
                        + "tools (SdkTool), mcpServer(...) and addTool(GuardedTool) the Helidon MCP extension's");
            }
            McpServerConfig.Builder extension = mcpServerConfig == null ? null : extensionFor(mcpServerConfig);
            ToolRegistration registration = ToolRegistration.of(List.copyOf(guardedTools), extension, sessionLimits,
                    mcpServerConfig == null ? List.of() : mcpServerConfig.tools());
            BrowserAccess browserAccess = BrowserAccess.of(resolved, listenHost, listenPort, allowedOrigins,
                    allowedHosts);
            if (scopesQualifiedByResource && !scopePrefix.isEmpty()) {
                throw new IllegalStateException("scopesQualifiedByResource (mcp.auth.scopes-qualified-by-resource) "
                        + "and scopePrefix (mcp.auth.scope-prefix) both name the scopes: set one");
            }
            String prefix = scopesQualifiedByResource ? resolved + "/" : scopePrefix;
            AuthSettings settings = new AuthSettings(resolved, mcpPath, resourceName, resourceDocumentation,
                    authorizationServers, scopesSupported, prefix, maxBodySize, enabled, accessListener,
                    acceptRequestId, nanoTime, sessionClock, sessionLimits, maxListensPerPrincipal,
                    Optional.ofNullable(sdkEngine), mcpServerConfig != null && mcpServerConfig.stateless());
            return new BearerAuthFeature(resolved, tokens, registration,
                    AuthStages.of(settings, tokens, registration, browserAccess), Set.copyOf(sockets));
        }

        /**
         * A copy of the application's MCP extension builder, set up to be guarded: the protected path, the session
         * cap of the kit's registry (its LRU then never evicts on its own: Helidon MCP 1.2.0 leaks the ids), and a
         * bound on the requests it keeps per session.
         */
        private McpServerConfig.Builder extensionFor(McpServerConfig.Builder given) {
            McpServerConfig.Builder copy = McpServerConfig.builder().from(given);
            copy.path(mcpPath);
            copy.maxSessionCount(sessionLimits.max()); // our registry evicts first, never its LRU
            // Helidon MCP 1.2.0 keeps each session's last maxRequestsPerSession requests in an LRU (McpFeatures ->
            // transport -> response -> request: headers with the bearer token, the buffered body, the context
            // with the caller) and never removes finished ones: at its default of 1000, 16 busy sessions held
            // ~240 MB and a 256 MB server died of OutOfMemoryError. The LRU is also its limit of requests in
            // flight per session, so a bound well above what a client runs at once.
            copy.maxRequestsPerSession(Math.min(given.maxRequestsPerSession(), REQUESTS_KEPT_PER_SESSION));
            return copy;
        }
    }
}
