package com.example.notes;

import io.helidon.config.Config;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import org.mcpidp.mcpserver.auth.BearerAuthFeature;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.observe.AuthMetrics;
import org.mcpidp.mcpserver.observe.ObserveService;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * A notes MCP server protected by the MCP IdP kit: every request to {@code /mcp} needs a bearer token of the
 * configured realm (checked by RFC 7662 introspection), each tool its own scope. Health and metrics under
 * {@code /observe}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create(); // application.yaml, then environment variables and system properties
        Settings settings;
        try {
            settings = Settings.from(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("notes-server: " + e.getMessage());
            System.exit(2);
            return;
        }

        // 1. The verifier: tokens of this realm, for this server (its URL or its client id in "aud").
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder()
                        .audiences(settings.resource().toString(), settings.clientId())
                        .build())
                .issuer(TrustedIssuer.introspection(settings.issuer(), settings.clientId(), settings.clientSecret())
                        .build())
                .build();

        // 2. The tools, each declaring the scope it needs; registered with the auth feature, never with MCP directly.
        NoteStore notes = new NoteStore();
        List<GuardedTool> tools = List.of(new ListNotesTool(notes), new AddNoteTool(notes));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BearerAuthFeature.Builder auth = BearerAuthFeature.builder()
                .verifier(verifier)
                .resource(settings.resource())
                .resourceName("Notes")
                .listenAddress(settings.host(), settings.port())
                .mcpServer(McpServerConfig.builder().path(Settings.MCP_PATH).name("notes-server").version("1.0.0"))
                .accessListener(new AuthMetrics(registry, Set.of("list_notes", "add_note")));
        tools.forEach(auth::addTool);
        BearerAuthFeature feature = auth.build();

        // 3. The server: the auth feature, the MCP endpoint it built, health and metrics.
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .host(settings.host())
                .port(settings.port())
                .addFeature(feature)
                .routing(routing -> routing
                        .register("/observe", new ObserveService(verifier::ready, registry, List.of()))
                        .addFeature(feature.mcpServerFeature()))
                .build()
                .start();
        System.out.println("notes-server: MCP on http://" + settings.host() + ":" + server.port() + Settings.MCP_PATH
                + " as resource " + settings.resource() + ", tokens of " + settings.issuer());
    }
}
