package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mcpidp.mcpserver.auth.BearerAuthFeature;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.observe.AuthMetrics;
import org.mcpidp.mcpserver.observe.ObserveService;
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
        try {
            settings = ServerConfig.from(config, System.getenv());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A configuration mistake is the user's to fix: say which key, no stack trace.
            System.err.println("mcp-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        TokenVerifier verifier = settings.authEnabled() ? settings.newTokenVerifier() : null;
        WebServer server = server(config, settings, verifier, ProductStore.withSamples()).build().start();
        LOGGER.log(Level.INFO, "MCP server on http://" + settings.host() + ":" + server.port() + settings.mcpPath()
                + " as resource " + settings.resource());
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
        List<GuardedTool> tools = tools(store);
        AuthMetrics metrics = new AuthMetrics(verifier);
        BooleanSupplier ready = verifier == null ? () -> true : verifier::ready;
        BearerAuthFeature auth = authFeature(settings, verifier, tools, metrics);
        McpServerFeature mcp = auth.mcpServerFeature();
        WebServerConfig.Builder server = WebServer.builder()
                .config(config.get("server"))
                .host(settings.host())
                .port(settings.port())
                .addFeature(auth)
                .routing(routing -> routing(routing, settings, mcp, metrics, ready));
        return new Parts(server, auth, mcp);
    }

    /** The demo tools, one class each: registered once, with the auth feature, which hands them to the extension. */
    public static List<GuardedTool> tools(ProductStore store) {
        return List.of(new WhoamiTool(), new ListProductsTool(store), new CreateProductTool(store),
                new DeleteProductTool(store));
    }

    /** Routes: health and metrics under {@code /observe}, the MCP endpoint ({@link #mcpFeature}). */
    public static void routing(HttpRouting.Builder routing, ServerConfig settings, McpServerFeature mcp,
                               AuthMetrics metrics, BooleanSupplier ready) {
        routing.register("/observe", new ObserveService(ready, metrics));
        routing.addFeature(mcp);
    }

    /**
     * The MCP endpoint. Its own session cap equals {@code mcp.sessions.max}: our session registry closes a session
     * (and removes it from the extension) before admitting one more, so the extension's LRU, whose evictions leak in
     * 1.2.0, never has to evict.
     */
    static McpServerConfig.Builder mcpFeature(ServerConfig settings) {
        return McpServerConfig.builder()
                .path(settings.mcpPath())
                .name("mcp-idp-kit-demo")
                .version("0.1.0")
                .maxSessionCount(settings.sessions().max());
    }

    static BearerAuthFeature authFeature(ServerConfig settings, TokenVerifier verifier, List<GuardedTool> tools,
                                         AuthMetrics metrics) {
        BearerAuthFeature.Builder auth = BearerAuthFeature.builder()
                .sessionLimits(settings.sessions())
                .mcpServer(mcpFeature(settings))
                .listenAddress(settings.host(), settings.port())
                .allowedOrigins(settings.allowedOrigins())
                .allowedHosts(settings.allowedHosts())
                .enabled(settings.authEnabled())
                .mcpPath(settings.mcpPath())
                .resource(settings.resource())
                .resourceName(settings.resourceName())
                .maxBodySize(settings.maxBodySize())
                .outcomeListener(metrics);
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
