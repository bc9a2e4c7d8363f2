package org.mcpidp.mcpauth;

import static org.mcpidp.mcpauth.ConfigValues.duration;
import static org.mcpidp.mcpauth.ConfigValues.invalid;
import static org.mcpidp.mcpauth.ConfigValues.named;
import static org.mcpidp.mcpauth.ConfigValues.string;
import static org.mcpidp.mcpauth.ConfigValues.strings;

import io.helidon.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * One trusted authorization server, {@code mcp.auth.issuers.<n>.*}: {@code url}, {@code mode} ({@code introspection}
 * by default, or {@code jwt}), {@code profile} ({@code generic} or {@code entra}), {@code client-id},
 * {@code client-secret}, {@code discovery-url}, {@code introspection-endpoint}, {@code jwks-uri},
 * {@code jwks-min-refresh-interval}, {@code tenants}. The rules of each setting are {@link TrustedIssuer.Builder}'s;
 * here are only the names and what the configuration alone can get wrong (a secret for a mode that uses none).
 */
final class IssuerConfig {

    /** The builder's setters, as its messages name them, and their keys. */
    private static final Map<String, String> SETTERS = Map.of("jwksMinRefreshInterval", "jwks-min-refresh-interval",
            "introspectionEndpoint", "introspection-endpoint", "jwksUri", "jwks-uri", "metadataUrl", "discovery-url",
            "tenants", "tenants");

    private IssuerConfig() {
    }

    /** Every issuer of {@code issuers}; with authentication off only their URLs are read (for the metadata). */
    static List<TrustedIssuer> issuers(Config issuers) {
        return nodes(issuers).stream().map(IssuerConfig::issuer).toList();
    }

    /**
     * The issuers' URLs, for a server with authentication off (nothing is verified, so no secret is needed); a
     * multi-tenant template stands for one URL per listed tenant, and without tenants it cannot be named at all.
     */
    static List<String> urls(Config issuers) {
        return nodes(issuers).stream().flatMap(node -> {
            mode(node);
            String url = url(node);
            if (!url.contains(TrustedIssuer.TENANT_PLACEHOLDER)) {
                return java.util.stream.Stream.of(url);
            }
            List<String> tenants = strings(node.get("tenants")).stream().map(String::strip).toList();
            if (tenants.isEmpty()) {
                throw invalid(node.get("tenants"), AuthStages.templateProblem(url));
            }
            // the builder's rule for tenant ids, so no other text ends up in a published URL
            named(node.get("tenants"), () -> TrustedIssuer.jwt(url).tenants(tenants.toArray(String[]::new)));
            return tenants.stream().map(tenant -> url.replace(TrustedIssuer.TENANT_PLACEHOLDER, tenant));
        }).toList();
    }

    private static List<Config> nodes(Config issuers) {
        return issuers.exists() ? issuers.asNodeList().orElse(List.of()) : List.of();
    }

    private static TrustedIssuer issuer(Config node) {
        String url = url(node);
        boolean entra = mode(node);
        Optional<String> secret = string(node.get("client-secret"));
        TrustedIssuer.Builder builder;
        if (isJwt(node)) {
            if (secret.isPresent()) {
                throw invalid(node.get("client-secret"), "is set but mode is jwt: secrets are only used for "
                        + "introspection");
            }
            builder = named(node.get("url"), () -> entra ? TrustedIssuer.entra(url) : TrustedIssuer.jwt(url));
        } else {
            String clientId = string(node.get("client-id")).orElseThrow(() -> invalid(node.get("client-id"),
                    "is required for mode introspection"));
            String clientSecret = secret.orElseThrow(() -> invalid(node.get("client-secret"), "is required for mode "
                    + "introspection (set it from the environment, e.g. " + envName(node.get("client-secret")) + ")"));
            builder = named(node.get("url"), () -> TrustedIssuer.introspection(url, clientId, clientSecret));
        }
        string(node.get("discovery-url")).ifPresent(value -> named(node.get("discovery-url"),
                () -> builder.metadataUrl(value)));
        string(node.get("introspection-endpoint")).ifPresent(value -> named(node.get("introspection-endpoint"),
                () -> builder.introspectionEndpoint(value)));
        string(node.get("jwks-uri")).ifPresent(value -> named(node.get("jwks-uri"), () -> builder.jwksUri(value)));
        duration(node.get("jwks-min-refresh-interval")).ifPresent(value -> named(
                node.get("jwks-min-refresh-interval"), () -> builder.jwksMinRefreshInterval(value)));
        List<String> tenants = strings(node.get("tenants"));
        boolean template = url.contains(TrustedIssuer.TENANT_PLACEHOLDER);
        if (template && (!entra || tenants.isEmpty())) {
            // the verifier accepts any JWT template; the configuration names Entra's, the only one we know
            throw invalid(node.get("tenants"), "a " + TrustedIssuer.TENANT_PLACEHOLDER
                    + " issuer needs profile entra and the list of allowed tenant ids");
        }
        named(node.get("tenants"), () -> builder.tenants(tenants.toArray(String[]::new)));
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(keyOf(node, e.getMessage()), e.getMessage());
        }
    }

    /** The key of the setting {@link TrustedIssuer.Builder#build()} refused: its message names the setter. */
    private static Config keyOf(Config node, String message) {
        return SETTERS.entrySet().stream().filter(setter -> message.contains(setter.getKey())).findFirst()
                .map(setter -> node.get(setter.getValue())).orElse(node);
    }

    private static String url(Config node) {
        return string(node.get("url")).orElseThrow(() -> invalid(node.get("url"), "is required"));
    }

    /**
     * Checks {@code mode} and {@code profile} (before the per-mode keys: a wrong mode is the mistake behind e.g. a
     * missing client id); true for the Entra profile.
     */
    private static boolean mode(Config node) {
        String mode = string(node.get("mode")).orElse("introspection").toLowerCase(Locale.ROOT);
        if (!mode.equals("jwt") && !mode.equals("introspection")) {
            // mode custom takes code (a CustomVerification), not configuration
            throw invalid(node.get("mode"), "must be jwt or introspection, was " + string(node.get("mode")).orElse(""));
        }
        String profile = string(node.get("profile")).orElse("generic").toLowerCase(Locale.ROOT);
        if (!profile.equals("generic") && !profile.equals("entra")) {
            throw invalid(node.get("profile"), "must be generic or entra, was " + string(node.get("profile")).orElse(""));
        }
        if (profile.equals("entra") && !mode.equals("jwt")) {
            throw invalid(node.get("mode"), "must be jwt for profile entra: Entra ID has no token introspection");
        }
        return profile.equals("entra");
    }

    private static boolean isJwt(Config node) {
        return string(node.get("mode")).orElse("introspection").equalsIgnoreCase("jwt");
    }

    /** Helidon's environment-variable name for a key: upper case, {@code .} and {@code -} as {@code _}. */
    static String envName(Config node) {
        return node.key().toString().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
