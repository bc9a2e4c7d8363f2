package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.DownstreamScopeSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.ResourceSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * How the spec's downstream APIs become Keycloak client scopes (shared by apply and export). Seen on 26.7.3 with the
 * {@code downscope-assertion-grant-enforcer} executor active: an exchange may ask only for scopes the subject token
 * already has ("Scopes [x] not present in the initial access token"), and the {@code audience} must come from a
 * client scope of the exchanging client ("Requested audience not available"). So:
 * <ul>
 *   <li>each downstream scope is a client scope WITHOUT an audience mapper, gated by the roles of its {@code from}
 *   MCP scopes, and a DEFAULT scope of every spec client that may request one of those: the caller's MCP token carries
 *   {@code orders:read} exactly when her roles allow it, while its {@code aud} stays the MCP server;</li>
 *   <li>one audience scope per API, named like its client id, that is not shown in {@code scope}
 *   ({@code include.in.token.scope=false}, which the enforcer lets through as a default scope) and is a DEFAULT scope
 *   of the MCP server's client only: only exchanged tokens get {@code aud=<api>}; gated by the union of roles;</li>
 *   <li>each downstream scope is an OPTIONAL scope of the MCP server's client, so it may ask for it.</li>
 * </ul>
 * A {@code from} scope without roles makes the downstream scope open (as open as the MCP scope is).
 */
final class DownstreamScopes {

    /** Client scope attribute marking a scope as made for a downstream API (value: the API's client id). */
    static final String MARKER = "mcpidp.downstream";

    /** One client scope to make for downstream APIs. */
    record Wanted(String name, String description, boolean inTokenScope, String audience, List<String> roles,
                  String api) {
    }

    private DownstreamScopes() {
    }

    /** Every client scope the downstream APIs need, audience scopes first, in spec order. */
    static Map<String, Wanted> all(TenantSpec spec) {
        Map<String, Wanted> all = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            List<List<String>> gates = new ArrayList<>();
            api.scopes().forEach(s -> gates.add(roles(spec, s)));
            all.put(api.clientId(), new Wanted(api.clientId(), "Audience " + api.clientId()
                    + " for tokens the MCP server obtains by token exchange", false, api.clientId(), union(gates), api.clientId()));
        }
        for (DownstreamSpec api : spec.downstream()) {
            for (DownstreamScopeSpec scope : api.scopes()) {
                all.put(scope.name(), new Wanted(scope.name(), scope.description(), true, "", roles(spec, scope),
                        api.clientId()));
            }
        }
        return all;
    }

    /** Downstream scopes a spec client gets as default scopes: those one of whose {@code from} it may request. */
    static List<String> defaultsFor(TenantSpec spec, ClientSpec client) {
        List<String> names = new ArrayList<>();
        for (DownstreamSpec api : spec.downstream()) {
            for (DownstreamScopeSpec scope : api.scopes()) {
                if (scope.from().stream().anyMatch(client.scopes()::contains)) {
                    names.add(scope.name());
                }
            }
        }
        return names.stream().sorted().toList();
    }

    /**
     * The downstream scope names a server's client may ask for in an exchange (its optional scopes): those fed by one
     * of its own MCP scopes ({@code from}).
     */
    static List<String> scopeNames(TenantSpec spec, ResourceSpec server) {
        return spec.downstream().stream().flatMap(d -> d.scopes().stream())
                .filter(s -> s.from().stream().anyMatch(server.scopes()::contains))
                .map(DownstreamScopeSpec::name).sorted().toList();
    }

    /** The audience scope names of the APIs a server exchanges for (its default scopes). */
    static List<String> audienceNames(TenantSpec spec, ResourceSpec server) {
        return spec.downstream().stream()
                .filter(d -> d.scopes().stream().anyMatch(s -> s.from().stream().anyMatch(server.scopes()::contains)))
                .map(DownstreamSpec::clientId).sorted().toList();
    }

    private static List<String> roles(TenantSpec spec, DownstreamScopeSpec scope) {
        List<List<String>> gates = new ArrayList<>();
        scope.from().forEach(from -> gates.add(spec.scope(from).map(ScopeSpec::roles).orElse(List.of())));
        return union(gates);
    }

    /** The union of role gates; empty (open) when any gate is open. */
    private static List<String> union(List<List<String>> gates) {
        if (gates.isEmpty() || gates.stream().anyMatch(List::isEmpty)) {
            return List.of();
        }
        Set<String> roles = new LinkedHashSet<>();
        gates.forEach(roles::addAll);
        return List.copyOf(roles);
    }
}
