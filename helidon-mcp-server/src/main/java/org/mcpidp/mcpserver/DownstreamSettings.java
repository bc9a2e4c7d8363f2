package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Where the demo's downstream API is and how this server gets tokens for it, read with the rest of the configuration:
 * nothing set = no {@code list_orders} tool. The exchange is done by this server's own confidential client, the one
 * it introspects with ({@code mcp.auth.issuers.0.client-id} / {@code client-secret}), at that issuer's token endpoint.
 *
 * @param ordersApi     {@code mcp.downstream.orders-api.url} ({@code MCP_DOWNSTREAM_ORDERS_API_URL}): the orders
 *                      API's base URL
 * @param issuer        {@code mcp.auth.issuers.0.url}: the only issuer whose callers' tokens are exchanged (a token
 *                      of another trusted issuer never goes to this issuer's token endpoint)
 * @param tokenEndpoint {@code mcp.downstream.token-endpoint}: default {@code <issuer>/protocol/openid-connect/token}
 *                      (Keycloak); set it when the issuer URL is not reachable from here (docker compose)
 * @param clientId      the exchanging client: {@code mcp.auth.issuers.0.client-id}
 * @param clientSecret  its secret: {@code mcp.auth.issuers.0.client-secret}
 */
record DownstreamSettings(HttpUrl ordersApi, String issuer, HttpUrl tokenEndpoint, String clientId,
                          String clientSecret) {

    static final String URL_KEY = "mcp.downstream.orders-api.url";
    static final String TOKEN_ENDPOINT_KEY = "mcp.downstream.token-endpoint";

    static Optional<DownstreamSettings> from(Config config) {
        Optional<String> url = string(config, URL_KEY);
        Optional<String> tokenEndpoint = string(config, TOKEN_ENDPOINT_KEY);
        if (url.isEmpty()) {
            if (tokenEndpoint.isPresent()) {
                throw invalid(TOKEN_ENDPOINT_KEY, "is set but " + URL_KEY + " is not");
            }
            return Optional.empty();
        }
        HttpUrl ordersApi = httpUrl(url.get(), URL_KEY);
        // The exchanging client is the one the library introspects with (its mapping validates these keys too).
        Config issuer = config.get("mcp.auth.issuers.0");
        Optional<String> issuerUrl = string(issuer, "url");
        Optional<String> clientId = string(issuer, "client-id");
        Optional<String> clientSecret = string(issuer, "client-secret");
        boolean entra = string(issuer, "profile").map(profile -> profile.equalsIgnoreCase("entra")).orElse(false);
        if (issuerUrl.isEmpty() || entra || clientId.isEmpty() || clientSecret.isEmpty()) {
            throw invalid(URL_KEY, "needs this server's confidential client at a Keycloak issuer to exchange tokens: "
                    + "set mcp.auth.issuers.0.client-id and mcp.auth.issuers.0.client-secret (from the environment, "
                    + "MCP_AUTH_ISSUERS_0_CLIENT_SECRET)");
        }
        HttpUrl endpoint = httpUrl(tokenEndpoint.orElse(issuerUrl.get() + "/protocol/openid-connect/token"),
                tokenEndpoint.isPresent() ? TOKEN_ENDPOINT_KEY : "mcp.auth.issuers.0.url");
        return Optional.of(new DownstreamSettings(ordersApi, issuerUrl.get(), endpoint, clientId.get(),
                clientSecret.get()));
    }

    private static HttpUrl httpUrl(String value, String key) {
        HttpUrl url = HttpUrl.parse(value);
        if (url == null || url.query() != null || url.fragment() != null) {
            throw invalid(key, "must be an http(s) URL without query or fragment, was " + value);
        }
        return url;
    }

    private static Optional<String> string(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    private static IllegalStateException invalid(String key, String problem) {
        return new IllegalStateException("configuration " + key + " " + problem);
    }

    @Override
    public String toString() {
        // never the secret
        return "DownstreamSettings[" + ordersApi + ", issuer " + issuer + ", token endpoint " + tokenEndpoint
                + ", client " + clientId + "]";
    }
}
