package org.mcpidp.mcpserver.auth;

import io.helidon.common.Weighted;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.spi.ServerFeature;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * Makes the MCP endpoint of a Helidon WebServer an OAuth 2.1 resource server (MCP authorization, RFC 6750, RFC 9728):
 * a filter on {@code <mcp path>} and below that verifies the bearer token with a {@link TokenVerifier}, answers
 * 401/403/503 with {@code WWW-Authenticate} challenges, enforces each tool's {@link ToolRequirement}, hides from
 * {@code tools/list} what a caller may not call, binds MCP sessions to the principal that opened them, and serves the
 * protected resource metadata. The verified {@link AuthInfo} is in the request context:
 * {@code request.requestContext().get(AuthInfo.class)} in a tool.
 *
 * <pre>{@code
 * WebServer.builder()
 *         .addFeature(BearerAuthFeature.builder()
 *                 .verifier(verifier)
 *                 .resource(URI.create("https://mcp.example.com/mcp"))
 *                 .addTool(new ListProductsTool(store))   // a GuardedTool: it declares its ToolRequirement
 *                 .mcpServer(McpServerConfig.builder().path("/mcp"))
 *                 .build())
 *         .routing(routing -> routing.addFeature(auth.mcpServerFeature()))
 * }</pre>
 *
 * Tools are registered once, here: the feature adds them to the MCP extension it builds and refuses to start when a
 * tool declares no requirement, or when a tool reached the extension some other way (it would be unguarded).
 *
 * Added like Helidon's own server features (a {@link ServerFeature} that installs a routing feature on each socket);
 * its weight puts its routes and filter before the MCP extension's.
 */
public final class BearerAuthFeature implements ServerFeature, Weighted {

    /** Above the MCP extension's routes (default weight 100), so the metadata routes and the filter come first. */
    public static final double WEIGHT = 900;
    private static final String TYPE = "mcp-bearer-auth";

    private final TokenVerifier verifier;
    private final String mcpPath;
    private final URI resource;
    private final String resourceName;
    private final Optional<String> resourceDocumentation;
    private final List<String> authorizationServers;
    private final Set<String> scopesSupported;
    private final Map<String, ToolRequirement> tools;
    private final long maxBodySize;
    private final boolean enabled;
    private final AuthInfo anonymousCaller;
    private final SessionRegistry sessions;
    private final ProtectedResourceMetadata metadata;
    private final ScopeNames scopeNames;
    private final McpServerFeature mcpServerFeature;
    private final BearerAuthRoutingFeature routingFeature;

    private BearerAuthFeature(Builder builder) {
        this.verifier = builder.verifier;
        this.mcpPath = builder.mcpPath;
        this.resource = builder.resource;
        this.resourceName = builder.resourceName;
        this.resourceDocumentation = builder.resourceDocumentation;
        this.tools = builder.registration.requirements();
        Set<String> scopes = new LinkedHashSet<>(builder.scopesSupported);
        if (scopes.isEmpty()) {
            tools.values().forEach(requirement -> scopes.addAll(requirement.scopes()));
        }
        this.scopesSupported = java.util.Collections.unmodifiableSet(scopes);
        List<String> servers = new ArrayList<>(builder.authorizationServers);
        if (servers.isEmpty() && verifier != null) {
            verifier.issuers().stream().map(TrustedIssuer::issuer).forEach(servers::add);
        }
        this.authorizationServers = List.copyOf(servers);
        this.maxBodySize = builder.maxBodySize;
        this.enabled = builder.enabled;
        this.anonymousCaller = new AuthInfo("anonymous", Optional.empty(), "urn:mcpidp:auth-disabled",
                Set.of(resource.toString()), scopesSupported, Set.of(), Instant.MAX, Map.of());
        this.mcpServerFeature = builder.registration.extension();
        ExtensionSessions extension = mcpServerFeature == null ? null : ExtensionSessions.of(mcpServerFeature);
        this.sessions = new SessionRegistry(builder.sessionLimits,
                extension == null ? sessionId -> { } : extension::remove);
        this.scopeNames = new ScopeNames(builder.scopePrefix);
        this.metadata = new ProtectedResourceMetadata(resource, mcpPath, authorizationServers,
                new LinkedHashSet<>(requestable(scopesSupported)), resourceName, resourceDocumentation);
        this.routingFeature = stages(builder);
    }

    /** The extension's own stateless switch ({@code McpServerConfig.stateless}): the session guard follows it. */
    private static boolean stateless(Builder builder) {
        return builder.mcpServerConfig != null && builder.mcpServerConfig.stateless();
    }

    /** The stages in front of MCP, each with its own configuration, all answering through one error writer. */
    private BearerAuthRoutingFeature stages(Builder builder) {
        GuardedPaths paths = new GuardedPaths(mcpPath);
        ErrorAnswers answers = new ErrorAnswers(builder.accessListener);
        String metadataUrl = metadata.metadataUrl();
        BearerAuthentication authentication = new BearerAuthentication(new BearerAuthentication.Config(
                verifier, metadataUrl, scopeNames, requestable(scopesSupported)), answers);
        JsonRpcGate gate = new JsonRpcGate(new JsonRpcGate.Config(maxBodySize, tools,
                builder.registration.capabilities(), scopeNames, metadataUrl, builder.nanoTime), answers);
        BearerAuthFilter filter = new BearerAuthFilter(new BearerAuthFilter.Config(paths, enabled, anonymousCaller),
                authentication, new SessionGuard(sessions, answers, stateless(builder)), gate, builder.accessListener);
        return new BearerAuthRoutingFeature(new OriginGuard(paths, builder.browserAccess, answers),
                new CorsPolicy(paths, builder.browserAccess), filter, metadata, sessions);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setup(ServerFeatureContext featureContext) {
        Set<String> sockets = new LinkedHashSet<>(featureContext.sockets());
        sockets.add(WebServer.DEFAULT_SOCKET_NAME);
        for (String socket : sockets) {
            featureContext.socket(socket).httpRouting().addFeature(routingFeature);
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

    /** Where clients find the protected resource metadata (the {@code resource_metadata} of every challenge). */
    public String resourceMetadataUrl() {
        return metadata.metadataUrl();
    }

    /** The protected resource metadata document (JSON). */
    public String resourceMetadata() {
        return metadata.document();
    }

    /** The resource identifier (the audience tokens must carry). */
    public URI resource() {
        return resource;
    }

    /** Scopes named in metadata and in the 401 challenge. */
    public Set<String> scopesSupported() {
        return scopesSupported;
    }

    /**
     * Scopes as a client must ask the authorization server for them: with the configured prefix (Entra ID names a
     * delegated scope {@code api://<API appId>/mcp:read}, while its tokens carry {@code mcp:read} in {@code scp}).
     * A value that already has a scheme ({@code ://}) is left as it is.
     */
    public List<String> requestable(java.util.Collection<String> scopes) {
        return scopeNames.requestable(scopes);
    }

    /** False only for benchmarks: every request then runs as an anonymous caller holding every supported scope. */
    public boolean enabled() {
        return enabled;
    }

    /** Sessions currently bound to a principal. */
    public long boundSessions() {
        return sessions.size();
    }

    /** Session counts: open now, closed for capacity or idleness, refused per subject, duplicate request ids. */
    public SessionStats sessionStats() {
        return sessions.stats();
    }

    /** The registered tools' requirements (for tests of the registration). */
    Map<String, ToolRequirement> tools() {
        return tools;
    }

    /** Builds a {@link BearerAuthFeature}; a verifier and the resource URL are required (unless disabled). */
    public static final class Builder {
        private TokenVerifier verifier;
        private String mcpPath = "/mcp";
        private URI resource;
        private String resourceName = "MCP server";
        private Optional<String> resourceDocumentation = Optional.empty();
        private final List<String> authorizationServers = new ArrayList<>();
        private final Set<String> scopesSupported = new LinkedHashSet<>();
        private final List<GuardedTool> guardedTools = new ArrayList<>();
        private final List<String> allowedOrigins = new ArrayList<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private Optional<String> listenHost = Optional.empty();
        private int listenPort;
        private McpServerConfig.Builder mcpServerConfig;
        private ToolRegistration registration;
        private BrowserAccess browserAccess;
        private long maxBodySize = 64 * 1024;
        private boolean enabled = true;
        private AccessListener accessListener = AccessListener.NONE;
        private LongSupplier nanoTime = System::nanoTime;
        private SessionLimits sessionLimits = SessionLimits.defaults();
        private String scopePrefix = "";

        private Builder() {
        }

        /** Put before every scope in challenges and metadata, e.g. {@code api://<API appId>/} for Entra ID. */
        public Builder scopePrefix(String value) {
            this.scopePrefix = Objects.requireNonNull(value, "scopePrefix");
            return this;
        }

        public Builder verifier(TokenVerifier value) {
            this.verifier = Objects.requireNonNull(value, "verifier");
            return this;
        }

        /** The MCP endpoint path (default {@code /mcp}); it and everything below it are protected. */
        public Builder mcpPath(String value) {
            if (value == null || !value.startsWith("/") || value.length() < 2 || value.endsWith("/")) {
                throw new IllegalArgumentException("mcp path must start with / and not end with /: " + value);
            }
            this.mcpPath = value;
            return this;
        }

        /** The public URL of the MCP endpoint: RFC 9728 {@code resource}, and the audience tokens must carry. */
        public Builder resource(URI value) {
            Objects.requireNonNull(value, "resource");
            if (!("https".equals(value.getScheme()) || "http".equals(value.getScheme())) || value.getHost() == null
                    || value.getRawFragment() != null || value.getRawQuery() != null) {
                throw new IllegalArgumentException("resource must be an http(s) URL without query or fragment: " + value);
            }
            this.resource = value;
            return this;
        }

        public Builder resourceName(String value) {
            this.resourceName = Objects.requireNonNull(value, "resourceName");
            return this;
        }

        public Builder resourceDocumentation(String url) {
            this.resourceDocumentation = Optional.of(Objects.requireNonNull(url, "resourceDocumentation"));
            return this;
        }

        /** Authorization servers in the metadata; by default the verifier's issuers. */
        public Builder addAuthorizationServer(String issuer) {
            authorizationServers.add(Objects.requireNonNull(issuer));
            return this;
        }

        /** Scopes named in metadata and 401 challenges; by default every scope some tool requires. */
        public Builder addScopeSupported(String scope) {
            scopesSupported.add(Objects.requireNonNull(scope));
            return this;
        }

        /**
         * Registers a tool: it goes into the MCP extension ({@link #mcpServer}) and its {@link GuardedTool#requirement()}
         * is enforced on every call. {@link #build()} fails when the requirement is null or the name is taken.
         */
        public Builder addTool(GuardedTool tool) {
            guardedTools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * Browser origins ({@code scheme://host[:port]}) that may call the MCP endpoint cross-origin and get CORS
         * headers. Empty (the default): no CORS, and a request with an {@code Origin} other than this server's own
         * gets 403.
         */
        public Builder allowedOrigins(java.util.Collection<String> origins) {
            origins.forEach(origin -> allowedOrigins.add(Objects.requireNonNull(origin, "origin")));
            return this;
        }

        /**
         * Extra {@code Host} header values ({@code host} for any port, or {@code host:port}) accepted besides the
         * resource URL's and, on a loopback listener, the loopback names: e.g. the name a reverse proxy forwards.
         */
        public Builder allowedHosts(java.util.Collection<String> hosts) {
            hosts.forEach(host -> allowedHosts.add(Objects.requireNonNull(host, "host")));
            return this;
        }

        /** Where the server listens; on a loopback address the loopback names are accepted as {@code Host}. */
        public Builder listenAddress(String host, int port) {
            this.listenHost = Optional.of(Objects.requireNonNull(host, "host"));
            this.listenPort = port;
            return this;
        }

        /** Largest JSON-RPC body read to authorize a call (default 64 KB); larger bodies get 413. */
        public Builder maxBodySize(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxBodySize must be at least 1024 bytes");
            }
            this.maxBodySize = bytes;
            return this;
        }

        /** {@code false} turns authentication off (benchmarks only; the caller of this decides how loudly). */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** Told every decision of the stages (metrics, audit); must be fast and not throw. */
        public Builder accessListener(AccessListener value) {
            this.accessListener = Objects.requireNonNull(value, "accessListener");
            return this;
        }

        /** Only the outcome of every request to the MCP endpoint: {@link #accessListener} without tool calls. */
        public Builder outcomeListener(Consumer<AuthOutcome> value) {
            Objects.requireNonNull(value, "outcomeListener");
            return accessListener(value::accept);
        }

        /** The clock tool-call latencies are measured with (default {@link System#nanoTime}); for tests. */
        Builder nanoTime(LongSupplier value) {
            this.nanoTime = Objects.requireNonNull(value, "nanoTime");
            return this;
        }

        /** Sessions kept at most, per principal, and how long an unused one lives ({@link SessionLimits#defaults()}). */
        public Builder sessionLimits(SessionLimits value) {
            this.sessionLimits = Objects.requireNonNull(value, "sessionLimits");
            return this;
        }

        /**
         * The MCP extension to build: the registered tools are added to it, and the sessions it keeps are governed
         * by this feature (a session closed here, for capacity or idleness, is removed from it too, see
         * {@link ExtensionSessions}). Set its {@code maxSessionCount} to at least {@code sessionLimits.max()} so that
         * its LRU never evicts on its own (Helidon MCP 1.2.0 then leaks the ids). Get the built extension with
         * {@link BearerAuthFeature#mcpServerFeature()}.
         */
        public Builder mcpServer(McpServerConfig.Builder value) {
            this.mcpServerConfig = Objects.requireNonNull(value, "mcpServer");
            return this;
        }

        public BearerAuthFeature build() {
            if (resource == null) {
                throw new IllegalStateException("BearerAuthFeature needs the resource URL (resource(...))");
            }
            if (enabled && verifier == null) {
                throw new IllegalStateException("BearerAuthFeature needs a TokenVerifier (verifier(...))");
            }
            if (enabled && verifier != null && authorizationServers.isEmpty() && verifier.issuers().isEmpty()) {
                throw new IllegalStateException("no authorization server to name in the protected resource metadata");
            }
            registration = ToolRegistration.of(guardedTools, mcpServerConfig, sessionLimits);
            try {
                browserAccess = BrowserAccess.of(resource, listenHost, listenPort, allowedOrigins, allowedHosts);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return new BearerAuthFeature(this);
        }
    }
}
