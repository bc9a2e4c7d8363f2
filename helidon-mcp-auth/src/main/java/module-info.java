/**
 * Puts a Helidon 4 MCP server behind an identity provider: {@link org.mcpidp.mcpauth.BearerAuthFeature} (RFC 9728
 * metadata, 401/403 challenges, Origin/CORS, per-tool requirements, per-caller lists, sessions bound to their caller)
 * in front of the MCP Java SDK ({@link org.mcpidp.mcpauth.SdkEngine}, {@link org.mcpidp.mcpauth.SdkTool}) or the
 * Helidon MCP extension ({@link org.mcpidp.mcpauth.GuardedTool}).
 *
 * <p>Two packages an application may leave out: {@code org.mcpidp.mcpauth.audit} (one audit line per decision) and
 * {@code org.mcpidp.mcpauth.observe} (health, metrics with Micrometer's API, shutdown drain, logging hold).
 */
module org.mcpidp.mcpauth {
    requires transitive org.mcpidp.verifier;
    requires transitive io.helidon.webserver;
    requires transitive io.helidon.config;
    requires transitive io.helidon.extensions.mcp.server;
    requires transitive io.modelcontextprotocol.sdk.mcp.core;
    requires transitive micrometer.core;
    requires transitive java.logging;
    requires org.mcpidp.http;
    requires io.modelcontextprotocol.sdk.mcp.json.jackson2;
    requires io.helidon.logging.common;
    requires com.fasterxml.jackson.databind;
    requires reactor.core;
    requires org.reactivestreams;
    requires io.helidon; // ShutdownDrain is a Helidon shutdown handler

    exports org.mcpidp.mcpauth;
    exports org.mcpidp.mcpauth.audit;
    exports org.mcpidp.mcpauth.observe;
}
