/**
 * Tokens for the APIs a tool calls as its caller: RFC 8693 token exchange (Keycloak) and Entra's on-behalf-of flow,
 * never the caller's own token passed through.
 */
module org.mcpidp.downstream {
    requires transitive org.mcpidp.verifier; // AuthInfo is the caller
    requires transitive okhttp3;             // DownstreamCalls sends OkHttp requests
    requires transitive micrometer.core;     // DownstreamTokens.Builder#meterRegistry
    requires org.mcpidp.http;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires com.microsoft.aad.msal4j;

    exports org.mcpidp.downstream;
    exports org.mcpidp.downstream.entra;
}
