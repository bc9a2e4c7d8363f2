package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpServerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.mcpidp.http.WebUrls;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The settings of {@link BearerAuthFeature.Builder}, each setter validating its value (so a mistake is refused where it
 * is made, and {@link FeatureConfig} names the key it came from). Package-private like {@code AbstractStringBuilder}:
 * users see these setters on the public builder only.
 */
abstract sealed class FeatureSettings permits BearerAuthFeature.Builder {

    TokenVerifier verifier;
    Function<URI, TokenVerifier> verifierFactory;
    String mcpPath = "/mcp";
    URI resource;
    String resourceName = "MCP server";
    Optional<String> resourceDocumentation = Optional.empty();
    final List<String> authorizationServers = new ArrayList<>();
    final Set<String> scopesSupported = new LinkedHashSet<>();
    final List<GuardedTool> guardedTools = new ArrayList<>();
    final List<String> allowedOrigins = new ArrayList<>();
    final List<String> allowedHosts = new ArrayList<>();
    Optional<String> listenHost = Optional.empty();
    int listenPort;
    McpServerConfig.Builder mcpServerConfig;
    SdkEngine sdkEngine;
    int maxListensPerPrincipal = 10;
    final Set<String> sockets = new LinkedHashSet<>(Set.of(io.helidon.webserver.WebServer.DEFAULT_SOCKET_NAME));
    long maxBodySize = 64 * 1024;
    boolean enabled = true;
    AccessListener accessListener = AccessListener.NONE;
    boolean acceptRequestId = true;
    LongSupplier nanoTime = System::nanoTime;
    LongSupplier sessionClock = System::nanoTime;
    SessionLimits sessionLimits = SessionLimits.defaults();
    String scopePrefix = "";
    boolean scopesQualifiedByResource;

    private BearerAuthFeature.Builder self() {
        return (BearerAuthFeature.Builder) this;
    }

    /** The verifier for the resource URL known at {@code build()}, unless {@link #verifier} was given. */
    BearerAuthFeature.Builder verifierFactory(Function<URI, TokenVerifier> value) {
        this.verifierFactory = Objects.requireNonNull(value, "verifierFactory");
        return self();
    }

    /**
     * Put before every scope in challenges and metadata, e.g. {@code api://<API appId>/} for an Entra ID API whose
     * Application ID URI is {@code api://<API appId>}: Entra names a delegated scope {@code <Application ID URI>/<value>}
     * while its tokens carry the bare value. A prefix with a scheme must therefore end with {@code /}. See also
     * {@link #scopesQualifiedByResource}, for an Application ID URI that is the resource URL itself.
     */
    public BearerAuthFeature.Builder scopePrefix(String value) {
        Objects.requireNonNull(value, "scopePrefix");
        if (!value.matches("[!#-\\[\\]-~]*")) {
            throw new IllegalArgumentException("must consist of RFC 6749 scope-token characters "
                    + "(e.g. api://<appId>/)");
        }
        if (value.contains("://") && !value.endsWith("/")) {
            throw new IllegalArgumentException("must end with / (Entra names a scope <Application ID URI>/<scope>, "
                    + "e.g. api://<appId>/mcp:read), was " + value);
        }
        this.scopePrefix = value;
        return self();
    }

    /**
     * Names every scope in challenges and metadata {@code <resource>/<scope>}, e.g.
     * {@code https://mcp.contoso.com/mcp/mcp:read}: what Microsoft Entra ID expects when the API's Application ID URI
     * is the MCP server's canonical URL, as idp-provisioning's Entra target sets it. Tokens still carry the bare
     * {@code mcp:read} in {@code scp}, which is what tools require. Not together with {@link #scopePrefix}.
     */
    public BearerAuthFeature.Builder scopesQualifiedByResource(boolean value) {
        this.scopesQualifiedByResource = value;
        return self();
    }

    public BearerAuthFeature.Builder verifier(TokenVerifier value) {
        this.verifier = Objects.requireNonNull(value, "verifier");
        return self();
    }

    /** The MCP endpoint path (default {@code /mcp}); it and everything below it are protected. */
    public BearerAuthFeature.Builder mcpPath(String value) {
        if (value == null || !value.startsWith("/") || value.length() < 2 || value.endsWith("/")) {
            throw new IllegalArgumentException("must start with / and not end with / (e.g. /mcp), was " + value);
        }
        this.mcpPath = value;
        return self();
    }

    /**
     * The public URL of the MCP endpoint: RFC 9728 {@code resource}, and the audience tokens must carry. Default:
     * {@code http://<listen host>:<listen port><mcp path>}, when {@link #listenAddress} names a concrete one. Kept in
     * canonical form (lower-case host, no trailing slash: {@code https://x/mcp/} is {@code https://x/mcp}): clients
     * and authorization servers compare it character by character (Entra answers {@code AADSTS9010010} when it
     * differs from the Application ID URI by a trailing slash).
     */
    public BearerAuthFeature.Builder resource(URI value) {
        this.resource = WebUrls.canonicalResource(Urls.httpUrl(Objects.requireNonNull(value, "resource")));
        return self();
    }

    public BearerAuthFeature.Builder resourceName(String value) {
        this.resourceName = Objects.requireNonNull(value, "resourceName");
        return self();
    }

    public BearerAuthFeature.Builder resourceDocumentation(String url) {
        this.resourceDocumentation = Optional.of(Urls.httpUrl(URI.create(url)).toString());
        return self();
    }

    /**
     * Authorization servers in the metadata; by default the verifier's issuers (a multi-tenant template as one issuer
     * per allowed tenant). Each must be a URL a client can use: a {@code {tenantid}} template is refused.
     */
    public BearerAuthFeature.Builder addAuthorizationServer(String issuer) {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.contains(TrustedIssuer.TENANT_PLACEHOLDER)) {
            throw new IllegalArgumentException(AuthStages.templateProblem(issuer));
        }
        authorizationServers.add(issuer);
        return self();
    }

    /** Scopes named in metadata and 401 challenges; by default every scope some tool requires. */
    public BearerAuthFeature.Builder addScopeSupported(String scope) {
        scopesSupported.add(Objects.requireNonNull(scope));
        return self();
    }

    /**
     * Registers a tool: it goes into the MCP extension ({@link #mcpServer}) and its {@link GuardedTool#requirement()}
     * is enforced on every call. {@link BearerAuthFeature.Builder#build()} fails when the requirement is null or the name is taken.
     */
    public BearerAuthFeature.Builder addTool(GuardedTool tool) {
        guardedTools.add(Objects.requireNonNull(tool, "tool"));
        return self();
    }

    /**
     * Browser origins ({@code scheme://host[:port]}) that may call the MCP endpoint cross-origin and get CORS
     * headers. Empty (the default): no CORS, and a request with an {@code Origin} other than this server's own
     * gets 403.
     */
    public BearerAuthFeature.Builder allowedOrigins(Collection<String> origins) {
        for (String origin : origins) {
            BrowserAccess.configuredOrigin(origin); // refused here, where the mistake is made
            allowedOrigins.add(origin);
        }
        return self();
    }

    /**
     * Extra {@code Host} header values ({@code host} for any port, or {@code host:port}) accepted besides the
     * resource URL's and, on a loopback listener, the loopback names: e.g. the name a reverse proxy forwards.
     */
    public BearerAuthFeature.Builder allowedHosts(Collection<String> hosts) {
        for (String host : hosts) {
            BrowserAccess.configuredHost(host);
            allowedHosts.add(host);
        }
        return self();
    }

    /** Where the server listens; on a loopback address the loopback names are accepted as {@code Host}. */
    public BearerAuthFeature.Builder listenAddress(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("must be 0..65535, was " + port);
        }
        this.listenHost = Optional.of(Objects.requireNonNull(host, "host"));
        this.listenPort = port;
        return self();
    }

    /** Largest JSON-RPC body read to authorize a call (default 64 KB); larger bodies get 413. */
    public BearerAuthFeature.Builder maxBodySize(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("must be at least 1024 bytes");
        }
        this.maxBodySize = bytes;
        return self();
    }

    /** {@code false} turns authentication off (benchmarks only; the caller of this decides how loudly). */
    public BearerAuthFeature.Builder enabled(boolean value) {
        this.enabled = value;
        return self();
    }

    /**
     * Whether a well-formed incoming {@code X-Request-Id} (1-64 of {@code [A-Za-z0-9._:-]}) is kept as the
     * request's id (default true: the balancer's id then correlates its log with the server's); otherwise, and
     * for a malformed one, the server makes a random id. Either way the answer carries it in {@code X-Request-Id}.
     */
    public BearerAuthFeature.Builder acceptRequestId(boolean value) {
        this.acceptRequestId = value;
        return self();
    }

    /**
     * Told every decision of the stages (metrics, audit); runs on the request thread, so it
     * must be fast and not throw.
     */
    public BearerAuthFeature.Builder accessListener(AccessListener value) {
        this.accessListener = Objects.requireNonNull(value, "accessListener");
        return self();
    }

    /** Only the outcome of every request to the MCP endpoint: {@link #accessListener} without tool calls. */
    public BearerAuthFeature.Builder outcomeListener(Consumer<AuthOutcome> value) {
        Objects.requireNonNull(value, "outcomeListener");
        return accessListener(value::accept);
    }

    /** The clock tool-call latencies are measured with (default {@link System#nanoTime}); for tests. */
    BearerAuthFeature.Builder nanoTime(LongSupplier value) {
        this.nanoTime = Objects.requireNonNull(value, "nanoTime");
        return self();
    }

    /** The clock sessions' idleness is judged by (default {@link System#nanoTime}); for tests, which never sleep. */
    BearerAuthFeature.Builder sessionClock(LongSupplier value) {
        this.sessionClock = Objects.requireNonNull(value, "sessionClock");
        return self();
    }

    /** Sessions kept at most, per principal, and how long an unused one lives ({@link SessionLimits#defaults()}). */
    public BearerAuthFeature.Builder sessionLimits(SessionLimits value) {
        this.sessionLimits = Objects.requireNonNull(value, "sessionLimits");
        return self();
    }

    /**
     * The MCP Java SDK as the engine (both protocol eras; its tools declare their requirements, see
     * {@link SdkEngine}). Instead of {@link #mcpServer}: one engine per feature.
     */
    public BearerAuthFeature.Builder engine(SdkEngine value) {
        this.sdkEngine = Objects.requireNonNull(value, "engine");
        return self();
    }

    /**
     * The listeners (Helidon sockets) that serve MCP and so get the stages and the metadata routes (default: the
     * default listener only). A listener of its own for health and metrics stays free of them.
     */
    public BearerAuthFeature.Builder sockets(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one listener");
        }
        sockets.clear();
        for (String name : names) {
            sockets.add(Objects.requireNonNull(name, "socket name"));
        }
        return self();
    }

    /** {@code subscriptions/listen} streams one principal may hold open at once (default 10). */
    public BearerAuthFeature.Builder maxListensPerPrincipal(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1, was " + value);
        }
        this.maxListensPerPrincipal = value;
        return self();
    }

    /**
     * The MCP extension to build: the registered tools are added to it, its path becomes {@link #mcpPath} (the
     * protected one), its session cap {@code sessionLimits.max()} (so that its LRU never evicts on its
     * own: Helidon MCP 1.2.0 then leaks the ids), and its sessions are governed by this feature (a session closed
     * here, for capacity or idleness, is removed from it too). Get it with {@link BearerAuthFeature#mcpServerFeature()}.
     */
    public BearerAuthFeature.Builder mcpServer(McpServerConfig.Builder value) {
        this.mcpServerConfig = Objects.requireNonNull(value, "mcpServer");
        return self();
    }
}
