package org.mcpidp.ordersapi;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The orders API's settings, from Helidon config ({@code application.yaml}, overridden by environment variables:
 * {@code orders-api.port} is {@code ORDERS_API_PORT}). Validated once; a wrong value is an
 * {@link IllegalStateException} naming the key.
 *
 * @param host              {@code orders-api.host}
 * @param port              {@code orders-api.port} ({@code ORDERS_API_PORT}, default 8090; 0 = any free port)
 * @param issuer            {@code orders-api.issuer} ({@code ORDERS_API_ISSUER}): the only trusted issuer, exactly
 *                          as in the tokens' {@code iss}; its JWKS is found through its metadata
 * @param discoveryUrl      {@code orders-api.discovery-url}: the issuer's metadata document, when not at its
 *                          well-known URL (e.g. reached over a container network)
 * @param jwksUri           {@code orders-api.jwks-uri}: overrides the discovered JWKS URI
 * @param audience          {@code orders-api.audience}: what {@code aud} must contain (default {@code orders-api})
 * @param requiredScope     {@code orders-api.required-scope}: the scope {@code GET /orders} needs (default
 *                          {@code orders:read})
 * @param recordTokenHashes {@code orders-api.record-token-hashes}: tests only, off by default: keep the SHA-256 of
 *                          every bearer token received (see {@link ReceivedTokens})
 */
public record OrdersApiSettings(String host, int port, String issuer, Optional<String> discoveryUrl,
                                Optional<String> jwksUri, String audience,
                                String requiredScope, boolean recordTokenHashes) {

    public static final String DEFAULT_AUDIENCE = "orders-api";
    public static final String DEFAULT_SCOPE = "orders:read";

    /** Settings for an API on {@code host:port} trusting {@code issuer}, with the default audience and scope. */
    public static OrdersApiSettings of(String host, int port, String issuer) {
        return new OrdersApiSettings(host, port, issuer, Optional.empty(), Optional.empty(), DEFAULT_AUDIENCE, DEFAULT_SCOPE, false);
    }

    public OrdersApiSettings withRecordTokenHashes(boolean value) {
        return new OrdersApiSettings(host, port, issuer, discoveryUrl, jwksUri, audience, requiredScope, value);
    }

    public OrdersApiSettings withJwksUri(String value) {
        return new OrdersApiSettings(host, port, issuer, discoveryUrl, Optional.of(value), audience, requiredScope,
                recordTokenHashes);
    }

    static OrdersApiSettings from(Config config) {
        Config root = config.get("orders-api");
        String host = string(root, "host").orElse("127.0.0.1");
        int port;
        try {
            port = root.get("port").asInt().orElse(8090);
        } catch (ConfigException e) {
            throw invalid("port", "must be a number");
        }
        if (port < 0 || port > 65535) {
            throw invalid("port", "must be between 0 and 65535, was " + port);
        }
        String issuer = string(root, "issuer").orElseThrow(() ->
                invalid("issuer", "is required (ORDERS_API_ISSUER): the issuer whose tokens this API accepts"));
        url(issuer, "issuer");
        Optional<String> discovery = string(root, "discovery-url");
        discovery.ifPresent(value -> url(value, "discovery-url"));
        Optional<String> jwks = string(root, "jwks-uri");
        jwks.ifPresent(value -> url(value, "jwks-uri"));
        String audience = string(root, "audience").orElse(DEFAULT_AUDIENCE);
        String scope = string(root, "required-scope").orElse(DEFAULT_SCOPE);
        if (scope.contains(" ")) {
            throw invalid("required-scope", "must be one scope, was '" + scope + "'");
        }
        boolean record = switch (string(root, "record-token-hashes").orElse("false").toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("record-token-hashes", "must be true or false");
        };
        return new OrdersApiSettings(host, port, issuer, discovery, jwks, audience, scope, record);
    }

    private static void url(String value, String key) {
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw invalid(key, "must be an http(s) URL with a host, was " + value);
            }
        } catch (IllegalArgumentException e) {
            throw invalid(key, "is not a URL: " + value);
        }
    }

    private static Optional<String> string(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    private static IllegalStateException invalid(String key, String problem) {
        return new IllegalStateException("configuration orders-api." + key + " " + problem);
    }
}
