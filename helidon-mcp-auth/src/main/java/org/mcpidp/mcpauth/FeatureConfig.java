package org.mcpidp.mcpauth;

import static org.mcpidp.mcpauth.ConfigValues.bool;
import static org.mcpidp.mcpauth.ConfigValues.duration;
import static org.mcpidp.mcpauth.ConfigValues.integer;
import static org.mcpidp.mcpauth.ConfigValues.invalid;
import static org.mcpidp.mcpauth.ConfigValues.longValue;
import static org.mcpidp.mcpauth.ConfigValues.named;
import static org.mcpidp.mcpauth.ConfigValues.string;
import static org.mcpidp.mcpauth.ConfigValues.strings;

import io.helidon.config.Config;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@link BearerAuthFeature.Builder#config}: the {@code mcp.*} tree onto the builder, each value through the setter
 * that validates it. Keys: {@code mcp.path}, {@code mcp.resource}, {@code mcp.resource-name},
 * {@code mcp.resource-documentation}, {@code mcp.authorization-servers}, {@code mcp.max-body-size}, {@code mcp.allowed-origins},
 * {@code mcp.allowed-hosts}, {@code mcp.sessions.*}, {@code mcp.auth.enabled}, {@code mcp.auth.scope-prefix},
 * {@code mcp.auth.scopes-qualified-by-resource} and
 * the verifier's {@code mcp.auth.*} ({@link VerifierConfig}); {@code server.host}/{@code server.port} are the listen
 * address (the default resource URL and the accepted {@code Host} names follow it).
 */
final class FeatureConfig {

    /** The environment variable that must be {@code true} for {@code mcp.auth.enabled: false} to be accepted. */
    static final String AUTH_DISABLED_ACK = "MCP_AUTH_DISABLED_I_KNOW";

    private static final System.Logger LOGGER = System.getLogger(BearerAuthFeature.class.getName());

    private FeatureConfig() {
    }

    static void apply(Config root, BearerAuthFeature.Builder builder, Map<String, String> env) {
        Config mcp = root.get("mcp");
        Config server = root.get("server");
        string(server.get("host")).ifPresent(host -> {
            int port = integer(server.get("port")).orElse(0);
            named(server.get("port"), () -> builder.listenAddress(host, port));
        });
        string(mcp.get("path")).ifPresent(value -> named(mcp.get("path"), () -> builder.mcpPath(value)));
        string(mcp.get("resource")).ifPresent(value -> named(mcp.get("resource"), () -> builder.resource(uri(value))));
        string(mcp.get("resource-name")).ifPresent(builder::resourceName);
        string(mcp.get("resource-documentation")).ifPresent(value -> named(mcp.get("resource-documentation"),
                () -> builder.resourceDocumentation(value)));
        longValue(mcp.get("max-body-size")).ifPresent(value -> named(mcp.get("max-body-size"),
                () -> builder.maxBodySize(value)));
        named(mcp.get("allowed-origins"), () -> builder.allowedOrigins(strings(mcp.get("allowed-origins"))));
        named(mcp.get("allowed-hosts"), () -> builder.allowedHosts(strings(mcp.get("allowed-hosts"))));
        builder.sessionLimits(sessions(mcp.get("sessions")));
        List<String> authorizationServers = strings(mcp.get("authorization-servers"));
        for (String authorizationServer : authorizationServers) {
            named(mcp.get("authorization-servers"), () -> builder.addAuthorizationServer(authorizationServer));
        }
        Config auth = mcp.get("auth");
        string(auth.get("scope-prefix")).ifPresent(value -> named(auth.get("scope-prefix"),
                () -> builder.scopePrefix(value)));
        bool(auth.get("scopes-qualified-by-resource")).ifPresent(value -> {
            if (value && string(auth.get("scope-prefix")).isPresent()) {
                throw invalid(auth.get("scopes-qualified-by-resource"), "and mcp.auth.scope-prefix both name the "
                        + "scopes: set one");
            }
            builder.scopesQualifiedByResource(value);
        });
        boolean enabled = bool(auth.get("enabled")).orElse(true);
        builder.enabled(enabled);
        if (enabled) {
            builder.verifierFactory(VerifierConfig.read(auth)::build);
            return;
        }
        if (!"true".equalsIgnoreCase(env.getOrDefault(AUTH_DISABLED_ACK, ""))) {
            throw invalid(auth.get("enabled"), "false turns authentication off; it is accepted only with the "
                    + "environment variable " + AUTH_DISABLED_ACK + "=true (benchmarks only)");
        }
        // nothing is verified, so no secret is needed: the issuers only name the authorization servers
        if (authorizationServers.isEmpty()) {
            IssuerConfig.urls(auth.get("issuers")).forEach(builder::addAuthorizationServer);
        }
        LOGGER.log(Level.WARNING, "*** AUTHENTICATION IS DISABLED (mcp.auth.enabled=false, " + AUTH_DISABLED_ACK
                + "=true): every request to the MCP endpoint runs as an anonymous caller with every scope. "
                + "Benchmarks only. ***");
    }

    private static SessionLimits sessions(Config sessions) {
        SessionLimits defaults = SessionLimits.defaults();
        int max = integer(sessions.get("max")).orElse(defaults.max());
        int perSubject = integer(sessions.get("max-per-subject")).orElse(Math.min(defaults.maxPerSubject(), max));
        try {
            return new SessionLimits(max, duration(sessions.get("idle-timeout")).orElse(defaults.idleTimeout()),
                    perSubject);
        } catch (IllegalArgumentException e) {
            // the record's rule names its component: the message then names the key
            String component = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            String key = switch (component) {
                case "maxPerSubject" -> "max-per-subject";
                case "idleTimeout" -> "idle-timeout";
                default -> "max";
            };
            throw invalid(sessions.get(key), e.getMessage());
        }
    }

    private static URI uri(String value) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a URL: " + value);
        }
    }
}
