package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.mcpidp.mcpserver.auth.BearerAuthFeature;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.observe.AuthMetrics;
import org.mcpidp.mcpserver.observe.ObserveService;
import org.mcpidp.mcpserver.observe.ObserveSettings;
import org.mcpidp.mcpserver.observe.ServerMeters;
import org.mcpidp.mcpserver.tools.CreateProductTool;
import org.mcpidp.mcpserver.tools.DeleteProductTool;
import org.mcpidp.mcpserver.tools.ListProductsTool;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.mcpserver.tools.WhoamiTool;
import org.mcpidp.verifier.TokenVerifier;

/** Starts the demo MCP server: wiring only. Tests build the same server with {@link #server}. */
public final class Main {

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        ServerConfig settings;
        ObserveSettings observe;
        try {
            settings = ServerConfig.from(config, System.getenv());
            observe = ObserveSettings.from(config, settings.port());
            stateless(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A configuration mistake is the user's to fix: say which key, no stack trace.
            System.err.println("mcp-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        TokenVerifier verifier = settings.authEnabled() ? settings.newTokenVerifier() : null;
        WebServer server = parts(config, settings, observe, verifier, ProductStore.withSamples()).server().build()
                .start();
        LOGGER.log(Level.INFO, "MCP server on http://" + settings.host() + ":" + server.port() + settings.mcpPath()
                + " as resource " + settings.resource() + (stateless(config) ? " (stateless mode)" : ""));
        if (observe.port().isPresent()) {
            LOGGER.log(Level.INFO, "health and metrics on http://" + settings.host() + ":"
                    + server.port(ObserveSettings.SOCKET) + "/observe");
        }
    }

    /**
     * The whole server: listener settings from {@code server.*}, the bearer authentication feature and
     * {@link #routing}. {@code verifier} is null only when authentication is disabled.
     */
    public static WebServerConfig.Builder server(Config config, ServerConfig settings, TokenVerifier verifier,
                                                 ProductStore store) {
        return parts(config, settings, verifier, store).server();
    }

    /** The server and the features tests and the soak run observe (session counts, the extension's store). */
    record Parts(WebServerConfig.Builder server, BearerAuthFeature auth, McpServerFeature mcp) {
    }

    static Parts parts(Config config, ServerConfig settings, TokenVerifier verifier, ProductStore store) {
        return parts(config, settings, ObserveSettings.from(config, settings.port()), verifier, store);
    }

    static Parts parts(Config config, ServerConfig settings, ObserveSettings observeSettings, TokenVerifier verifier,
                       ProductStore store) {
        List<GuardedTool> tools = tools(store);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Set<String> toolNames = tools.stream().map(GuardedTool::name).collect(Collectors.toUnmodifiableSet());
        AuthMetrics metrics = new AuthMetrics(registry, toolNames);
        BearerAuthFeature auth = authFeature(settings, stateless(config), verifier, tools, metrics);
        BooleanSupplier ready = verifier == null ? () -> true : verifier::ready;
        ObserveService observe = new ObserveService(ready, registry,
                List.of(new ServerMeters(verifier, auth::sessionStats)));
        McpServerFeature mcp = auth.mcpServerFeature();
        WebServerConfig.Builder server = WebServer.builder()
                .config(config.get("server"))
                .host(settings.host())
                .port(settings.port())
                .addFeature(auth);
        if (observeSettings.port().isPresent()) {
            // a listener of its own: the public port then serves MCP only
            server.putSocket(ObserveSettings.SOCKET, socket -> socket.host(settings.host())
                            .port(observeSettings.port().getAsInt()))
                    .routing(ObserveSettings.SOCKET, routing -> routing.register("/observe", observe))
                    .routing(routing -> routing.addFeature(mcp));
        } else {
            server.routing(routing -> routing(routing, mcp, observe));
        }
        return new Parts(server, auth, mcp);
    }

    /** The demo tools, one class each: registered once, with the auth feature, which hands them to the extension. */
    public static List<GuardedTool> tools(ProductStore store) {
        return List.of(new WhoamiTool(), new ListProductsTool(store), new CreateProductTool(store),
                new DeleteProductTool(store));
    }

    /** Routes of the main port: health and metrics under {@code /observe}, the MCP endpoint ({@link #mcpFeature}). */
    public static void routing(HttpRouting.Builder routing, McpServerFeature mcp, ObserveService observe) {
        routing.register("/observe", observe);
        routing.addFeature(mcp);
    }

    /**
     * The MCP endpoint. Its own session cap equals {@code mcp.sessions.max}: our session registry closes a session
     * (and removes it from the extension) before admitting one more, so the extension's LRU, whose evictions leak in
     * 1.2.0, never has to evict.
     */
    static McpServerConfig.Builder mcpFeature(ServerConfig settings, boolean stateless) {
        return McpServerConfig.builder()
                .stateless(stateless)
                .path(settings.mcpPath())
                .name("mcp-idp-kit-demo")
                .version("0.1.0")
                .maxSessionCount(settings.sessions().max());
    }

    /**
     * {@code mcp.stateless} (env {@code MCP_STATELESS}, default false): the extension's stateless Streamable HTTP
     * mode, for several instances without session affinity. A request naming a session another instance opened is
     * then served instead of answered 404 (see the README, "Running several instances").
     *
     * @throws IllegalStateException when the value is neither true nor false
     */
    static boolean stateless(Config config) {
        String value = config.get("mcp.stateless").asString().orElse("false").strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalStateException("mcp.stateless (MCP_STATELESS) must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    static BearerAuthFeature authFeature(ServerConfig settings, boolean stateless, TokenVerifier verifier,
                                         List<GuardedTool> tools, AuthMetrics metrics) {
        BearerAuthFeature.Builder auth = BearerAuthFeature.builder()
                .sessionLimits(settings.sessions())
                .mcpServer(mcpFeature(settings, stateless))
                .listenAddress(settings.host(), settings.port())
                .allowedOrigins(settings.allowedOrigins())
                .allowedHosts(settings.allowedHosts())
                .enabled(settings.authEnabled())
                .mcpPath(settings.mcpPath())
                .resource(settings.resource())
                .resourceName(settings.resourceName())
                .maxBodySize(settings.maxBodySize())
                .accessListener(metrics);
        settings.resourceDocumentation().ifPresent(auth::resourceDocumentation);
        settings.scopePrefix().ifPresent(auth::scopePrefix);
        tools.forEach(auth::addTool);
        if (verifier != null) {
            auth.verifier(verifier);
        } else {
            settings.issuers().forEach(issuer -> auth.addAuthorizationServer(issuer.url()));
            LOGGER.log(Level.WARNING, "*** AUTHENTICATION IS DISABLED (mcp.auth.enabled=false, "
                    + ServerConfig.AUTH_DISABLED_ACK + "=true): every request to " + settings.mcpPath()
                    + " runs as an anonymous caller with every scope. Benchmarks only. ***");
        }
        return auth.build();
    }
}
