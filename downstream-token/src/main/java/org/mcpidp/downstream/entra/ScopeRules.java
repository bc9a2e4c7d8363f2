package org.mcpidp.downstream.entra;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.verifier.AuthInfo;

/**
 * The spec's {@code from} for Entra: which MCP scopes a caller must hold to get a downstream scope. Keycloak enforces
 * it itself (the downstream scope follows the roles of its {@code from} scopes, and the downscope executor); Entra
 * cannot: admin consent is per application, so every user token for the MCP API could be exchanged for every
 * consented scope. These rules are checked before the call instead. An audience without rules is limited by consent
 * only; one with rules allows only the scopes named in them, and never {@code .default} (which would mean "all").
 */
final class ScopeRules {

    private final Map<String, Map<String, Set<String>>> byAudience = new LinkedHashMap<>();

    void allow(String audience, String scope, Set<String> from) {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("allowScope " + scope + " of " + audience + " needs at least one MCP scope");
        }
        byAudience.computeIfAbsent(trim(audience), a -> new LinkedHashMap<>()).put(scope, Set.copyOf(from));
    }

    ScopeRules copy() {
        ScopeRules copy = new ScopeRules();
        byAudience.forEach((audience, rules) -> copy.byAudience.put(audience, Map.copyOf(rules)));
        return copy;
    }

    Optional<ExchangeFailure> refusal(AuthInfo caller, DownstreamTarget target) {
        String audience = trim(target.audience());
        Map<String, Set<String>> rules = byAudience.getOrDefault(audience, Collections.emptyMap());
        if (!byAudience.containsKey(audience)) {
            return Optional.empty();
        }
        if (target.scopes().isEmpty()) {
            return refuse("On-Behalf-Of for " + audience + " must name its scopes (allowed: " + new TreeSet<>(rules.keySet())
                    + "); .default would ask for all of them");
        }
        for (String asked : new TreeSet<>(target.scopes())) {
            String scope = asked.startsWith(audience + "/") ? asked.substring(audience.length() + 1) : asked;
            Set<String> from = rules.get(scope);
            if (from == null) {
                return refuse("scope " + scope + " of " + audience + " is not one a tool may ask for (allowed: "
                        + new TreeSet<>(rules.keySet()) + ")");
            }
            if (from.stream().noneMatch(caller.scopes()::contains)) {
                return refuse("scope " + scope + " of " + audience + " needs one of the MCP scopes " + new TreeSet<>(from)
                        + "; the caller has " + new TreeSet<>(caller.scopes()));
            }
        }
        return Optional.empty();
    }

    private static Optional<ExchangeFailure> refuse(String detail) {
        return Optional.of(ExchangeFailure.of(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED, detail));
    }

    private static String trim(String audience) {
        return audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
    }

    /**
     * Entra scopes for the target: {@code <audience>/<scope>} (e.g. {@code api://orders-api/orders:read}) unless a
     * scope is already a full one; {@code <audience>/.default} (everything consented) when none is named.
     */
    static Set<String> entraScopes(DownstreamTarget target) {
        String prefix = target.audience().endsWith("/") ? target.audience() : target.audience() + "/";
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : target.scopes().stream().sorted().toList()) {
            scopes.add(scope.contains("://") || scope.startsWith(prefix) ? scope : prefix + scope);
        }
        if (scopes.isEmpty()) {
            scopes.add(prefix + ".default");
        }
        return scopes;
    }
}
