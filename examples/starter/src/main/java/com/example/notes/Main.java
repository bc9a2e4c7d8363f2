package com.example.notes;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SdkEngine;
import org.mcpidp.mcpauth.observe.AuthMetrics;
import org.mcpidp.mcpauth.observe.ObserveService;
import org.mcpidp.mcpauth.observe.ShutdownDrain;
import org.mcpidp.verifier.TokenVerifier;

/**
 * A notes MCP server protected by the MCP IdP kit: the MCP Java SDK serves both protocol eras (2026-07-28 and
 * 2025-11-25) at {@code /mcp}, every request there needs a bearer token of the configured realm (checked by RFC 7662
 * introspection), each tool its own scope. Health and metrics under
 * {@code /observe}. Configuration: {@code application.yaml}, overridden by environment variables
 * ({@code MCP_AUTH_ISSUERS_0_CLIENT_SECRET} is {@code mcp.auth.issuers.0.client-secret}) and system properties.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        NoteStore notes = new NoteStore();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BearerAuthFeature auth;
        ShutdownDrain drain;
        try {
            // the tools, written against the MCP Java SDK, each declaring the scope it needs
            SdkEngine engine = SdkEngine.builder()
                    .config(config) // mcp.request-state.*, mcp.list-ttl, mcp.legacy-era
                    .serverInfo("notes-server", "1.0.0")
                    .addTool(new ListNotesTool(notes))
                    .addTool(new AddNoteTool(notes))
                    .build();
            auth = BearerAuthFeature.builder()
                    .config(config) // mcp.* (issuer, client id and secret, resource URL, ...), server.host/port
                    .engine(engine) // served at /mcp behind the kit's stages
                    .accessListener(new AuthMetrics(registry, Set.of("list_notes", "add_note")))
                    .build();
            // SIGTERM: unready at once, serve what still arrives, stop once it stops (docs/configuration.md, shutdown.*)
            drain = ShutdownDrain.from(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a configuration mistake names its key; no stack trace, exit 2
            System.err.println("notes-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        TokenVerifier verifier = auth.verifier().orElseThrow();
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .addFeature(auth)
                .routing(routing -> routing
                        .addFeature(drain)
                        .register(ObserveService.PATH, ObserveService.builder().ready(verifier::ready).drain(drain)
                                .metrics(registry, registry::scrape).build()))
                .build()
                .start();
        System.out.println("notes-server: MCP on http://" + config.get("server.host").asString().orElse("127.0.0.1")
                + ":" + server.port() + "/mcp as resource " + auth.resource() + ", tokens of "
                + verifier.issuers().getFirst().issuer());
    }
}
