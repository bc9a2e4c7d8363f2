package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.mcpidp.mcpauth.audit.AuditSettings;
import org.mcpidp.mcpauth.audit.AuditTrail;
import org.mcpidp.mcpauth.AccessListener;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SdkEngine;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.observe.AuthMetrics;
import org.mcpidp.mcpauth.observe.ObserveService;
import org.mcpidp.mcpauth.observe.ObserveSettings;
import org.mcpidp.mcpauth.observe.ServerMeters;
import org.mcpidp.mcpauth.observe.ShutdownDrain;
import org.mcpidp.mcpserver.tools.ProductTools;
import org.mcpidp.mcpserver.tools.DeleteProductTool;
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
        Parts parts;
        try {
            settings = ServerConfig.from(config);
            // reads (once) and checks every mcp.* key, downstream and audit included: a mistake exits 2 naming it
            parts = parts(config, settings, ProductStore.withSamples());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A configuration mistake is the user's to fix: say which key, no stack trace.
            System.err.println("mcp-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The first line formatted fills a cache of Helidon 4.5.0's HelidonFormatter, a plain HashMap: formatted first
        // by two threads at once (the listeners log as they start), it threw ConcurrentModificationException onto
        // standard error and lost a line. Written here, on one thread, the cache is full before any listener starts.
        LOGGER.log(Level.INFO, "starting the MCP server on " + settings.host() + ":" + settings.port());
        WebServer server = parts.server().build().start();
        LOGGER.log(Level.INFO, "MCP server on http://" + settings.host() + ":" + server.port() + " as resource "
                + parts.auth().resource() + " (protocol " + String.join(", ", parts.engine().supportedVersions())
                + ")");
        if (settings.observe().port().isPresent()) {
            LOGGER.log(Level.INFO, "health and metrics on http://" + settings.host() + ":"
                    + server.port(ObserveSettings.SOCKET) + "/observe");
        }
    }

    /**
     * The whole server: listener settings from {@code server.*}, the bearer authentication feature (configured from
     * {@code mcp.*}) and {@link #routing}.
     */
    public static WebServerConfig.Builder server(Config config, ServerConfig settings, ProductStore store) {
        return parts(config, settings, store).server();
    }

    /** The server and the parts tests and the soak run observe (session counts, the engine). */
    record Parts(WebServerConfig.Builder server, BearerAuthFeature auth, SdkEngine engine) {
    }

    static Parts parts(Config config, ServerConfig settings, ProductStore store) {
        return parts(config, settings, store, UnaryOperator.identity());
    }

    /** As above; {@code tuning} adds to the auth feature's builder what tests set beyond configuration (clocks). */
    static Parts parts(Config config, ServerConfig settings, ProductStore store,
                       UnaryOperator<BearerAuthFeature.Builder> tuning) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<SdkTool> tools = new ArrayList<>(tools(store));
        // list_orders only when the orders API is configured (mcp.downstream.orders-api.url)
        DownstreamSettings.from(config).ifPresent(downstream -> tools.add(DemoDownstream.listOrders(
                downstream, registry)));
        Set<String> toolNames = tools.stream().map(tool -> tool.definition().name())
                .collect(Collectors.toUnmodifiableSet());
        AuthMetrics metrics = new AuthMetrics(registry, toolNames);
        AuditSettings auditSettings = AuditSettings.from(config);
        AuditTrail audit = AuditTrail.start(auditSettings, registry);
        // SIGTERM: not ready, serve what still comes, stop once it stops coming, then write the audit queue
        ShutdownDrain drain = ShutdownDrain.from(config).closeAfterStop(audit);
        SdkEngine.Builder engineBuilder = SdkEngine.builder().config(config)
                .serverInfo("mcp-idp-kit-demo", "0.1.0");
        tools.forEach(engineBuilder::addTool);
        SdkEngine engine = engineBuilder.build();
        BearerAuthFeature auth = authFeature(config, settings, engine, AccessListener.of(metrics, audit),
                auditSettings.acceptRequestId(), tuning);
        TokenVerifier verifier = auth.verifier().orElse(null);
        BooleanSupplier ready = verifier == null ? () -> true : verifier::ready;
        ObserveService observe = ObserveService.builder().ready(ready).drain(drain)
                .metrics(registry, registry::scrape).bind(new ServerMeters(verifier, auth::sessionStats)).build();
        WebServerConfig.Builder server = WebServer.builder()
                .config(config.get("server"))
                .host(settings.host())
                .port(settings.port())
                .addFeature(auth);
        if (settings.observe().port().isPresent()) {
            // a listener of its own: the public port then serves MCP only
            server.putSocket(ObserveSettings.SOCKET, socket -> socket.host(settings.host())
                            .port(settings.observe().port().getAsInt()))
                    .routing(ObserveSettings.SOCKET, routing -> routing.register(ObserveService.PATH, observe))
                    .routing(routing -> routing.addFeature(drain));
        } else {
            server.routing(routing -> routing(routing.addFeature(drain), observe));
        }
        return new Parts(server, auth, engine);
    }

    /** The demo tools, one class each, written against the MCP Java SDK: served to both protocol eras. */
    public static List<SdkTool> tools(ProductStore store) {
        return List.of(new WhoamiTool(), ProductTools.list(store), ProductTools.create(store),
                new DeleteProductTool(store));
    }

    /** Routes of the main port besides MCP (which the auth feature serves): health and metrics under /observe. */
    public static void routing(HttpRouting.Builder routing, ObserveService observe) {
        routing.register(ObserveService.PATH, observe);
    }

    /**
     * The bearer authentication feature: everything from {@code mcp.*} ({@link BearerAuthFeature.Builder#config}),
     * the listen address from {@link ServerConfig}, the MCP Java SDK engine with the demo's tools, its metrics and the
     * audit trail.
     */
    static BearerAuthFeature authFeature(Config config, ServerConfig settings, SdkEngine engine,
                                         AccessListener listener, boolean acceptRequestId,
                                         UnaryOperator<BearerAuthFeature.Builder> tuning) {
        BearerAuthFeature.Builder auth = BearerAuthFeature.builder()
                .config(config)
                .listenAddress(settings.host(), settings.port())
                .engine(engine)
                .accessListener(listener)
                .acceptRequestId(acceptRequestId);
        return tuning.apply(auth).build();
    }
}
