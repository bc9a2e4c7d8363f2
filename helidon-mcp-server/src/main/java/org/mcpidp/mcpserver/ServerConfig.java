package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.mcpserver.auth.SessionLimits;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.CacheSettings;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.TrustedIssuer.TokenMode;

/**
 * The server's settings, read once from Helidon config ({@code application.yaml}, overridden by environment
 * variables such as {@code SERVER_PORT} or {@code MCP_AUTH_ISSUERS_0_CLIENT_SECRET} and by system properties) and
 * validated at startup: a missing or contradictory value fails with an {@link IllegalStateException} naming the key.
 * Every key is listed in the module README.
 *
 * @param host                  {@code server.host}
 * @param port                  {@code server.port}
 * @param mcpPath               {@code mcp.path}
 * @param resource              {@code mcp.resource}: the public URL of the MCP endpoint, the token audience
 * @param resourceName          {@code mcp.resource-name}
 * @param resourceDocumentation {@code mcp.resource-documentation}
 * @param maxBodySize           {@code mcp.max-body-size} in bytes
 * @param authEnabled           {@code mcp.auth.enabled}
 * @param issuers               {@code mcp.auth.issuers}
 * @param audiences             {@code mcp.auth.audiences}
 * @param roleClients           {@code mcp.auth.role-clients}
 * @param leeway                {@code mcp.auth.leeway}
 * @param cache                 {@code mcp.auth.cache.*}
 * @param connectTimeout        {@code mcp.auth.connect-timeout}
 * @param readTimeout           {@code mcp.auth.read-timeout}
 * @param requiredType          {@code mcp.auth.required-type}: a JWT header {@code typ} every token must carry (e.g.
 *                              {@code at+jwt}, RFC 9068); absent = {@code JWT} or {@code at+jwt} accepted
 * @param maxConcurrentIdpCalls {@code mcp.auth.max-concurrent-idp-calls}: IdP calls in flight at most
 * @param idpQueueTimeout       {@code mcp.auth.idp-queue-timeout}: longest wait for one of those slots before 503
 * @param sessions              {@code mcp.sessions.max}, {@code mcp.sessions.idle-timeout},
 *                              {@code mcp.sessions.max-per-subject}
 * @param scopePrefix           {@code mcp.auth.scope-prefix}: how clients must name this server's scopes at the
 *                              authorization server, put before each scope in challenges and metadata (Entra ID:
 *                              {@code api://<API appId>/}; tokens still carry the bare value in {@code scp})
 * @param allowedOrigins        {@code mcp.allowed-origins}: browser origins that may call cross-origin (CORS); empty =
 *                              no CORS, and any {@code Origin} but the server's own gets 403
 * @param allowedHosts          {@code mcp.allowed-hosts}: extra {@code Host} values accepted (e.g. what a proxy
 *                              forwards), besides the resource URL's host and, on loopback, the loopback names
 */
public record ServerConfig(String host,
                           int port,
                           String mcpPath,
                           URI resource,
                           String resourceName,
                           Optional<String> resourceDocumentation,
                           long maxBodySize,
                           boolean authEnabled,
                           List<Issuer> issuers,
                           Set<String> audiences,
                           Set<String> roleClients,
                           Duration leeway,
                           CacheSettings cache,
                           Duration connectTimeout,
                           Duration readTimeout,
                           Optional<String> requiredType,
                           int maxConcurrentIdpCalls,
                           Duration idpQueueTimeout,
                           SessionLimits sessions,
                           Optional<String> scopePrefix,
                           List<String> allowedOrigins,
                           List<String> allowedHosts) {

    /** The environment variable that must be {@code true} for {@code mcp.auth.enabled: false} to be accepted. */
    public static final String AUTH_DISABLED_ACK = "MCP_AUTH_DISABLED_I_KNOW";

    /** Which token profile an issuer follows: a generic OAuth/OIDC server (Keycloak), or Microsoft Entra ID. */
    public enum Profile { GENERIC, ENTRA }

    /**
     * One trusted authorization server ({@code mcp.auth.issuers.<n>.*}).
     *
     * @param url                   {@code url}: the issuer exactly as in its tokens' {@code iss}
     * @param mode                  {@code mode}: {@code jwt} or {@code introspection}
     * @param clientId              {@code client-id}: this server's confidential client (introspection)
     * @param clientSecret          {@code client-secret}: its secret (set it from the environment, never commit it)
     * @param discoveryUrl          {@code discovery-url}: metadata document, when not at the issuer's well-known URL
     * @param introspectionEndpoint {@code introspection-endpoint}: overrides the discovered endpoint
     * @param jwksUri               {@code jwks-uri}: overrides the discovered JWKS URI
     * @param jwksMinRefreshInterval {@code jwks-min-refresh-interval}: fewest time between two JWKS fetches caused by
     *                              an unknown {@code kid} (key rotation is seen at most this late)
     * @param profile               {@code profile}: {@code generic} (default) or {@code entra} (JWT only; app roles
     *                              count as scopes; the url may be the {@code {tenantid}} template)
     * @param tenants               {@code tenants}: allowed tenant ids for an Entra {@code {tenantid}} template
     */
    public record Issuer(String url,
                         TokenMode mode,
                         Optional<String> clientId,
                         Optional<String> clientSecret,
                         Optional<String> discoveryUrl,
                         Optional<String> introspectionEndpoint,
                         Optional<String> jwksUri,
                         Optional<Duration> jwksMinRefreshInterval,
                         Profile profile,
                         List<String> tenants) {

        @Override
        public String toString() {
            // never the secret
            return "Issuer[" + url + ", " + mode + clientId.map(id -> ", client=" + id).orElse("") + "]";
        }
    }

    /**
     * Reads and validates the settings. {@code env} is consulted only for {@link #AUTH_DISABLED_ACK}.
     *
     * @throws IllegalStateException naming the offending key
     */
    public static ServerConfig from(Config config, Map<String, String> env) {
        String host = string(config, "server.host").orElse("127.0.0.1");
        int port = integer(config, "server.port").orElse(8080);
        if (port < 0 || port > 65535) {
            throw invalid("server.port", "must be 0..65535");
        }
        String mcpPath = string(config, "mcp.path").orElse("/mcp");
        if (!mcpPath.startsWith("/") || mcpPath.length() < 2 || mcpPath.endsWith("/")) {
            throw invalid("mcp.path", "must start with / and not end with / (e.g. /mcp)");
        }
        URI resource = string(config, "mcp.resource")
                .map(value -> uri(value, "mcp.resource"))
                .orElseGet(() -> defaultResource(host, port, mcpPath));
        String resourceName = string(config, "mcp.resource-name").orElse("MCP IdP kit demo server");
        Optional<String> documentation = string(config, "mcp.resource-documentation");
        documentation.ifPresent(value -> uri(value, "mcp.resource-documentation"));
        long maxBodySize = longValue(config, "mcp.max-body-size").orElse(64L * 1024);
        if (maxBodySize < 1024) {
            throw invalid("mcp.max-body-size", "must be at least 1024 bytes");
        }

        boolean authEnabled = bool(config, "mcp.auth.enabled").orElse(true);
        if (!authEnabled && !"true".equalsIgnoreCase(env.getOrDefault(AUTH_DISABLED_ACK, ""))) {
            throw invalid("mcp.auth.enabled", "false turns authentication off; it is accepted only with the "
                    + "environment variable " + AUTH_DISABLED_ACK + "=true (benchmarks only)");
        }

        List<Issuer> issuers = issuers(config, authEnabled);
        if (authEnabled && issuers.isEmpty()) {
            // no default issuer (issue 16): a server trusting a guessed authorization server must not start
            throw invalid("mcp.auth.issuers", "at least one issuer is required (url, mode, client-id, client-secret; "
                    + "e.g. MCP_AUTH_ISSUERS_0_URL)");
        }

        Set<String> audiences = new LinkedHashSet<>(strings(config, "mcp.auth.audiences"));
        if (audiences.isEmpty()) {
            audiences.add(resource.toString());
            issuers.stream()
                    .filter(issuer -> issuer.mode() == TokenMode.INTROSPECTION)
                    .forEach(issuer -> issuer.clientId().ifPresent(audiences::add));
        }
        Set<String> roleClients = new LinkedHashSet<>(strings(config, "mcp.auth.role-clients"));

        Duration leeway = duration(config, "mcp.auth.leeway").orElse(AccessPolicy.DEFAULT_LEEWAY);
        if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
            throw invalid("mcp.auth.leeway", "must be between PT0S and PT5M");
        }

        CacheSettings defaults = CacheSettings.defaults();
        boolean cacheEnabled = bool(config, "mcp.auth.cache.enabled").orElse(true);
        CacheSettings cache;
        try {
            cache = cacheEnabled
                    ? new CacheSettings(true,
                            longValue(config, "mcp.auth.cache.size").orElse(defaults.maximumSize()),
                            duration(config, "mcp.auth.cache.max-lifetime").orElse(defaults.maxLifetime()),
                            duration(config, "mcp.auth.cache.negative-lifetime").orElse(defaults.negativeLifetime()))
                    : CacheSettings.disabled();
        } catch (IllegalArgumentException e) {
            throw invalid("mcp.auth.cache", e.getMessage());
        }
        Duration connectTimeout = positive(config, "mcp.auth.connect-timeout", Duration.ofSeconds(2));
        Duration readTimeout = positive(config, "mcp.auth.read-timeout", Duration.ofSeconds(5));
        Optional<String> requiredType = string(config, "mcp.auth.required-type");
        int maxConcurrentIdpCalls = integer(config, "mcp.auth.max-concurrent-idp-calls").orElse(64);
        if (maxConcurrentIdpCalls < 1) {
            throw invalid("mcp.auth.max-concurrent-idp-calls", "must be at least 1");
        }
        Duration idpQueueTimeout = positive(config, "mcp.auth.idp-queue-timeout", Duration.ofMillis(500));
        SessionLimits sessions = sessionLimits(config);
        Optional<String> scopePrefix = string(config, "mcp.auth.scope-prefix");
        if (scopePrefix.isPresent() && !scopePrefix.get().matches("[!#-\\[\\]-~]+")) {
            throw invalid("mcp.auth.scope-prefix", "must consist of RFC 6749 scope-token characters (e.g. api://<appId>/)");
        }

        List<String> allowedOrigins = strings(config, "mcp.allowed-origins");
        for (String origin : allowedOrigins) {
            URI uri = uri(origin, "mcp.allowed-origins");
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                throw invalid("mcp.allowed-origins", "must be origins, scheme://host[:port] without a path, was " + origin);
            }
        }
        List<String> allowedHosts = strings(config, "mcp.allowed-hosts");
        for (String allowed : allowedHosts) {
            if (!allowed.matches("(?i)([a-z0-9.-]+|\\[[0-9a-f:.]+])(:[0-9]{1,5})?")) {
                throw invalid("mcp.allowed-hosts", "must be host or host:port, was " + allowed);
            }
        }

        return new ServerConfig(host, port, mcpPath, resource, resourceName, documentation, maxBodySize, authEnabled,
                List.copyOf(issuers), Set.copyOf(audiences), Set.copyOf(roleClients), leeway, cache, connectTimeout,
                readTimeout, requiredType, maxConcurrentIdpCalls, idpQueueTimeout, sessions, scopePrefix,
                allowedOrigins, allowedHosts);
    }

    /** A verifier for these settings; it loads issuer metadata lazily (readiness reports when it is loaded). */
    public TokenVerifier newTokenVerifier() {
        AccessPolicy.Builder policy = AccessPolicy.builder()
                .audiences(List.copyOf(audiences))
                .leeway(leeway);
        requiredType.ifPresent(policy::requiredType);
        if (!roleClients.isEmpty()) {
            policy.roleClients(roleClients.toArray(String[]::new));
        }
        TokenVerifier.Builder builder = TokenVerifier.builder()
                .policy(policy.build())
                .cache(cache)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .maxConcurrentIdpCalls(maxConcurrentIdpCalls, idpQueueTimeout);
        for (int i = 0; i < issuers.size(); i++) {
            builder.issuer(trustedIssuer(issuers.get(i), "mcp.auth.issuers." + i));
        }
        return builder.build();
    }

    private static TrustedIssuer trustedIssuer(Issuer issuer, String key) {
        try {
            TrustedIssuer.Builder builder = switch (issuer.mode()) {
                case JWT -> issuer.profile() == Profile.ENTRA
                        ? TrustedIssuer.entra(issuer.url()).tenants(issuer.tenants().toArray(String[]::new))
                        : TrustedIssuer.jwt(issuer.url());
                case INTROSPECTION -> TrustedIssuer.introspection(issuer.url(), issuer.clientId().orElseThrow(),
                        issuer.clientSecret().orElseThrow());
                case CUSTOM -> throw new IllegalStateException("mode custom is not configurable");
            };
            issuer.discoveryUrl().ifPresent(builder::metadataUrl);
            issuer.introspectionEndpoint().ifPresent(builder::introspectionEndpoint);
            issuer.jwksUri().ifPresent(builder::jwksUri);
            issuer.jwksMinRefreshInterval().ifPresent(builder::jwksMinRefreshInterval);
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(key, e.getMessage());
        }
    }

    private static List<Issuer> issuers(Config config, boolean authEnabled) {
        Config list = config.get("mcp.auth.issuers");
        List<Issuer> issuers = new ArrayList<>();
        if (!list.exists()) {
            return issuers;
        }
        List<Config> nodes = list.asNodeList().orElse(List.of());
        for (int i = 0; i < nodes.size(); i++) {
            Config node = nodes.get(i);
            String key = "mcp.auth.issuers." + i;
            String url = string(node, "url").orElseThrow(() -> invalid(key + ".url", "is required"));
            // Entra's multi-tenant issuer is a template: check it as the URL it becomes for a tenant
            uri(url.replace(TrustedIssuer.TENANT_PLACEHOLDER, "tenant"), key + ".url");
            String modeText = string(node, "mode").orElse("introspection");
            TokenMode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
                case "jwt" -> TokenMode.JWT;
                case "introspection" -> TokenMode.INTROSPECTION;
                // CUSTOM takes code (a CustomVerification), not configuration
                default -> throw invalid(key + ".mode", "must be jwt or introspection, was " + modeText);
            };
            // before the per-mode keys: it is the mistake behind e.g. a missing client id
            String profileText = string(node, "profile").orElse("generic");
            Profile profile;
            try {
                profile = Profile.valueOf(profileText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(key + ".profile", "must be generic or entra, was " + profileText);
            }
            if (profile == Profile.ENTRA && mode != TokenMode.JWT) {
                throw invalid(key + ".mode", "must be jwt for profile entra: Entra ID has no token introspection");
            }
            Optional<String> clientId = string(node, "client-id");
            Optional<String> clientSecret = string(node, "client-secret");
            if (mode == TokenMode.INTROSPECTION && clientId.isEmpty()) {
                throw invalid(key + ".client-id", "is required for mode introspection");
            }
            // with authentication off (benchmarks) no secret is needed: nothing is introspected
            if (mode == TokenMode.INTROSPECTION && clientSecret.isEmpty() && authEnabled) {
                throw invalid(key + ".client-secret", "is required for mode introspection (set it from the "
                        + "environment, e.g. MCP_AUTH_ISSUERS_" + i + "_CLIENT_SECRET)");
            }
            if (mode == TokenMode.JWT && clientSecret.isPresent()) {
                throw invalid(key + ".client-secret", "is set but mode is jwt: secrets are only used for introspection");
            }
            Optional<String> introspection = string(node, "introspection-endpoint");
            if (mode == TokenMode.JWT && introspection.isPresent()) {
                throw invalid(key + ".introspection-endpoint", "is set but mode is jwt");
            }
            Optional<String> discovery = string(node, "discovery-url");
            discovery.ifPresent(value -> uri(value, key + ".discovery-url"));
            introspection.ifPresent(value -> uri(value, key + ".introspection-endpoint"));
            Optional<String> jwks = string(node, "jwks-uri");
            jwks.ifPresent(value -> uri(value, key + ".jwks-uri"));
            Optional<Duration> jwksRefresh = duration(node, "jwks-min-refresh-interval");
            if (jwksRefresh.isPresent() && (mode != TokenMode.JWT || jwksRefresh.get().isNegative())) {
                throw invalid(key + ".jwks-min-refresh-interval", "applies to mode jwt only and must not be negative");
            }
            List<String> tenants = strings(node, "tenants");
            boolean template = url.contains(TrustedIssuer.TENANT_PLACEHOLDER);
            if (template && (profile != Profile.ENTRA || tenants.isEmpty())) {
                throw invalid(key + ".tenants", "a " + TrustedIssuer.TENANT_PLACEHOLDER
                        + " issuer needs profile entra and the list of allowed tenant ids");
            }
            if (!template && !tenants.isEmpty()) {
                throw invalid(key + ".tenants", "applies only to an issuer url with " + TrustedIssuer.TENANT_PLACEHOLDER);
            }
            issuers.add(new Issuer(url, mode, clientId, clientSecret, discovery, introspection, jwks, jwksRefresh,
                    profile, List.copyOf(tenants)));
        }
        return issuers;
    }

    private static SessionLimits sessionLimits(Config config) {
        SessionLimits defaults = SessionLimits.defaults();
        int max = integer(config, "mcp.sessions.max").orElse(defaults.max());
        if (max < 1) {
            throw invalid("mcp.sessions.max", "must be at least 1");
        }
        int perSubject = integer(config, "mcp.sessions.max-per-subject").orElse(Math.min(defaults.maxPerSubject(), max));
        if (perSubject < 1 || perSubject > max) {
            throw invalid("mcp.sessions.max-per-subject", "must be between 1 and mcp.sessions.max (" + max + ")");
        }
        Duration idle = positive(config, "mcp.sessions.idle-timeout", defaults.idleTimeout());
        return new SessionLimits(max, idle, perSubject);
    }

    private static URI defaultResource(String host, int port, String mcpPath) {
        if (host.equals("0.0.0.0") || host.equals("::") || port == 0) {
            throw invalid("mcp.resource", "is required when server.host is a wildcard address or server.port is 0 "
                    + "(the public URL of the MCP endpoint cannot be guessed)");
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + hostPart + ":" + port + mcpPath);
    }

    private static URI uri(String value, String key) {
        try {
            URI uri = URI.create(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw invalid(key, "must be an http(s) URL with a host, was " + value);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw invalid(key, "must not have a query or fragment");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(key, "is not a URL: " + value);
        }
    }

    private static Optional<String> string(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    private static List<String> strings(Config config, String key) {
        Config node = config.get(key);
        if (!node.exists()) {
            // Environment variables KEY_0, KEY_1, ... resolve one by one (Helidon maps a key to its variable on
            // lookup), but they never make KEY itself exist as a list: ask for the indexes.
            List<String> indexed = new ArrayList<>();
            for (int i = 0; config.get(key + "." + i).exists(); i++) {
                string(config, key + "." + i).ifPresent(indexed::add);
            }
            return indexed;
        }
        if (node.isLeaf()) {
            // a single value, e.g. from one environment variable: comma-separated
            return node.asString().asOptional().stream()
                    .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                    .map(String::strip)
                    .filter(value -> !value.isEmpty())
                    .toList();
        }
        return node.asList(String.class).orElse(List.of()).stream()
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .toList();
    }

    private static Optional<Integer> integer(Config config, String key) {
        try {
            return config.get(key).asInt().asOptional();
        } catch (ConfigException e) {
            throw invalid(key, "must be a number");
        }
    }

    private static Optional<Long> longValue(Config config, String key) {
        try {
            return config.get(key).asLong().asOptional();
        } catch (ConfigException e) {
            throw invalid(key, "must be a number");
        }
    }

    private static Optional<Boolean> bool(Config config, String key) {
        Optional<String> text = string(config, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw invalid(key, "must be true or false, was " + text.get());
        };
    }

    private static Optional<Duration> duration(Config config, String key) {
        Optional<String> text = string(config, key);
        try {
            return text.map(Duration::parse);
        } catch (RuntimeException e) {
            throw invalid(key, "must be an ISO-8601 duration such as PT60S, was " + text.orElse(""));
        }
    }

    private static Duration positive(Config config, String key, Duration fallback) {
        Duration value = duration(config, key).orElse(fallback);
        if (value.isNegative() || value.isZero()) {
            throw invalid(key, "must be positive");
        }
        return value;
    }

    private static IllegalStateException invalid(String key, String problem) {
        return new IllegalStateException("configuration " + key + " " + problem);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + host + ":" + port + mcpPath + ", resource=" + resource + ", auth="
                + (authEnabled ? "on" : "OFF") + ", issuers=" + issuers + ", audiences=" + audiences + "]";
    }
}
