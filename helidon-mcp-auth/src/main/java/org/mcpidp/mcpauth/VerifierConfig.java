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
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.CacheSettings;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.TrustedIssuer.TokenMode;

/**
 * The token verifier of {@code mcp.auth.*}: {@code issuers} ({@link IssuerConfig}), {@code audiences},
 * {@code role-clients}, {@code scope-hierarchy} ({@code broader > narrower} entries), {@code leeway},
 * {@code required-type}, {@code cache.*}, {@code connect-timeout},
 * {@code read-timeout}, {@code max-concurrent-idp-calls}, {@code idp-queue-timeout}. Read (and every value checked by
 * its builder) at once; built when the resource URL is known, since the default audiences include it.
 */
final class VerifierConfig {

    private final List<TrustedIssuer> issuers;
    private final List<String> audiences;
    private final TokenVerifier.Builder verifier;
    private final AccessPolicy.Builder policy;
    private final Config auth;

    private VerifierConfig(Config auth) {
        this.auth = auth;
        this.issuers = IssuerConfig.issuers(auth.get("issuers"));
        if (issuers.isEmpty()) {
            // no default issuer (issue 16): a server trusting a guessed authorization server must not start
            throw invalid(auth.get("issuers"), "at least one issuer is required (url, mode, client-id, "
                    + "client-secret; e.g. " + IssuerConfig.envName(auth.get("issuers")) + "_0_URL)");
        }
        this.audiences = strings(auth.get("audiences"));
        this.policy = AccessPolicy.builder();
        duration(auth.get("leeway")).ifPresent(value -> named(auth.get("leeway"), () -> policy.leeway(value)));
        string(auth.get("required-type")).ifPresent(value -> named(auth.get("required-type"),
                () -> policy.requiredType(value)));
        for (String implication : strings(auth.get("scope-hierarchy"))) {
            int arrow = implication.indexOf('>');
            String broader = arrow < 0 ? "" : implication.substring(0, arrow).strip();
            List<String> narrower = arrow < 0 ? List.of() : java.util.Arrays.stream(
                    implication.substring(arrow + 1).split("[\\s;]+")).filter(scope -> !scope.isBlank()).toList();
            if (broader.isEmpty() || narrower.isEmpty()) {
                throw invalid(auth.get("scope-hierarchy"), "entries are 'broader > narrower' (e.g. "
                        + "'mcp:admin > mcp:write'), not '" + implication + "'");
            }
            named(auth.get("scope-hierarchy"), () -> policy.impliedScopes(broader, narrower));
        }
        List<String> roleClients = strings(auth.get("role-clients"));
        if (!roleClients.isEmpty()) {
            named(auth.get("role-clients"), () -> policy.roleClients(roleClients.toArray(String[]::new)));
        }
        this.verifier = TokenVerifier.builder().cache(cache(auth.get("cache")));
        duration(auth.get("connect-timeout")).ifPresent(value -> named(auth.get("connect-timeout"),
                () -> verifier.connectTimeout(value)));
        duration(auth.get("read-timeout")).ifPresent(value -> named(auth.get("read-timeout"),
                () -> verifier.readTimeout(value)));
        int calls = integer(auth.get("max-concurrent-idp-calls")).orElse(TokenVerifier.DEFAULT_MAX_CONCURRENT_IDP_CALLS);
        Duration queue = duration(auth.get("idp-queue-timeout")).orElse(TokenVerifier.DEFAULT_IDP_QUEUE_TIMEOUT);
        try {
            verifier.maxConcurrentIdpCalls(calls, queue);
        } catch (IllegalArgumentException e) {
            throw invalid(auth.get(e.getMessage().contains("queue") ? "idp-queue-timeout" : "max-concurrent-idp-calls"),
                    e.getMessage());
        }
    }

    /** Reads {@code auth} ({@code mcp.auth}); at least one issuer is required. */
    static VerifierConfig read(Config auth) {
        return new VerifierConfig(auth);
    }

    /**
     * The verifier for {@code resource}: the audiences default to it and every introspection client id (Keycloak
     * puts the client id into {@code aud} for introspected tokens).
     */
    TokenVerifier build(URI resource) {
        Set<String> accepted = new LinkedHashSet<>(audiences);
        if (accepted.isEmpty()) {
            accepted.add(resource.toString());
            issuers.stream().filter(issuer -> issuer.mode() == TokenMode.INTROSPECTION)
                    .forEach(issuer -> issuer.clientId().ifPresent(accepted::add));
        }
        named(auth.get("audiences"), () -> policy.audiences(List.copyOf(accepted)));
        issuers.forEach(verifier::issuer);
        AccessPolicy built;
        try {
            built = policy.build();
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("implies itself")) {
                throw invalid(auth.get("scope-hierarchy"), e.getMessage());
            }
            throw e;
        }
        return verifier.policy(built).build();
    }

    static CacheSettings cache(Config cache) {
        if (!bool(cache.get("enabled")).orElse(true)) {
            return CacheSettings.disabled();
        }
        CacheSettings defaults = CacheSettings.defaults();
        return named(cache, () -> new CacheSettings(true,
                longValue(cache.get("size")).orElse(defaults.maximumSize()),
                duration(cache.get("max-lifetime")).orElse(defaults.maxLifetime()),
                duration(cache.get("negative-lifetime")).orElse(defaults.negativeLifetime())));
    }
}
