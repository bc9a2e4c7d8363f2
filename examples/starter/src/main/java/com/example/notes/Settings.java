package com.example.notes;

import io.helidon.config.Config;
import java.net.URI;
import java.util.Locale;

/**
 * What this server needs to know, from {@code application.yaml}, environment variables (Helidon's mapping:
 * {@code MCP_AUTH_ISSUERS_0_CLIENT_SECRET} is {@code mcp.auth.issuers.0.client-secret}) and system properties. The
 * keys are the kit's own ({@code mcp.resource}, {@code mcp.auth.issuers.0.*}), so the same variables work here and
 * for the kit's demo server. A missing key stops the start naming it: no issuer is ever guessed.
 *
 * @param host         {@code server.host}
 * @param port         {@code server.port}
 * @param resource     {@code mcp.resource}: the public URL of the MCP endpoint, the audience tokens must carry
 * @param issuer       {@code mcp.auth.issuers.0.url}: the realm, exactly as in the tokens' {@code iss}
 * @param clientId     {@code mcp.auth.issuers.0.client-id}: this server's confidential client (it introspects)
 * @param clientSecret {@code mcp.auth.issuers.0.client-secret}: its secret, from the environment
 */
record Settings(String host, int port, URI resource, String issuer, String clientId, String clientSecret) {

    static final String MCP_PATH = "/mcp";

    @Override
    public String toString() {
        // never the secret
        return "Settings[" + host + ":" + port + ", resource " + resource + ", issuer " + issuer + ", client "
                + clientId + "]";
    }

    static Settings from(Config config) {
        String host = config.get("server.host").asString().orElse("127.0.0.1");
        int port = config.get("server.port").asInt().orElse(8090);
        URI resource = URI.create(config.get("mcp.resource").asString()
                .orElse("http://" + host + ":" + port + MCP_PATH));
        return new Settings(host, port, resource, required(config, "mcp.auth.issuers.0.url"),
                required(config, "mcp.auth.issuers.0.client-id"), required(config, "mcp.auth.issuers.0.client-secret"));
    }

    private static String required(Config config, String key) {
        String value = config.get(key).asString().orElse("").strip();
        if (value.isEmpty()) {
            String env = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            throw new IllegalStateException("configuration key " + key + " is required (environment variable " + env
                    + ")");
        }
        return value;
    }
}
