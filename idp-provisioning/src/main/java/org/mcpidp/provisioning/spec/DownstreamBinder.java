package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's {@code downstream}: {@link DownstreamSpec}s. Client ids are unique among the resource, the clients and
 * the downstream APIs (one Keycloak realm holds them all); downstream scope names are unique and clash with no MCP
 * scope (client scopes are realm-wide); every {@code from} names a declared MCP scope.
 */
final class DownstreamBinder {

    // RFC 6749 section 3.3 scope-token characters, as for MCP scopes.
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    private DownstreamBinder() {
    }

    /**
     * @param clientIds  client ids taken so far in the tenant (resource and clients); each new one is added
     * @param mcpScopes  the tenant's MCP scopes by name
     */
    static List<DownstreamSpec> bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path,
                                     Set<String> clientIds, Set<String> mcpScopes) {
        List<DownstreamSpec> apis = new ArrayList<>();
        Map<String, String> scopeOwners = new HashMap<>();
        in.each(tenant, "downstream", path, (item, p) -> {
            Node.Mapping d = in.mapping(item, p).orElse(null);
            if (d != null) {
                DownstreamSpec api = api(in, rules, d, p, clientIds, mcpScopes, scopeOwners);
                apis.add(api);
                // Keycloak: each API gets an audience client scope named like its client id (scope names are realm-wide).
                Node.Entry id = d.entries().get("clientId");
                if (api.clientId() != null && id != null
                        && (mcpScopes.contains(api.clientId()) || scopeOwners.containsKey(api.clientId()))) {
                    in.error(id.value(), p + ".clientId", "downstream client id '" + api.clientId()
                            + "' is also the name of a scope (its audience client scope takes that name)");
                }
            }
        });
        return apis;
    }

    private static DownstreamSpec api(SpecReader in, TargetRules rules, Node.Mapping d, String p, Set<String> clientIds,
                                      Set<String> mcpScopes, Map<String, String> scopeOwners) {
        in.fields(d, p, Set.of("clientId", "description", "url", "scopes"));
        String clientId = in.required(d, "clientId", p, ResourceBinder.CLIENT_ID, "a client id");
        if (clientId != null && !clientIds.add(clientId)) {
            in.error(d.entries().get("clientId").value(), p + ".clientId", "duplicate client '" + clientId + "'");
        }
        URI url = in.url(d, "url", p, false);
        List<DownstreamScopeSpec> scopes = new ArrayList<>();
        in.each(d, "scopes", p, (item, sp) -> {
            Node.Mapping s = in.mapping(item, sp).orElse(null);
            if (s != null) {
                scopes.add(scope(in, rules, s, sp, mcpScopes, scopeOwners));
            }
        });
        return new DownstreamSpec(clientId, in.optional(d, "description", p).orElse(""),
                url == null ? "" : url.toString(), scopes);
    }

    private static DownstreamScopeSpec scope(SpecReader in, TargetRules rules, Node.Mapping s, String sp,
                                             Set<String> mcpScopes, Map<String, String> scopeOwners) {
        in.fields(s, sp, Set.of("name", "description", "from"));
        String name = in.required(s, "name", sp, SCOPE, "an OAuth scope token (no spaces, quotes or backslashes)");
        if (name != null) {
            Node at = s.entries().get("name").value();
            if (mcpScopes.contains(name)) {
                in.error(at, sp + ".name", "downstream scope '" + name + "' has the name of an MCP scope");
            } else {
                rules.scope(name).ifPresentOrElse(why -> in.error(at, sp + ".name", why), () -> {
                    String first = scopeOwners.putIfAbsent(name, sp);
                    if (first != null) {
                        in.error(at, sp + ".name", "duplicate downstream scope '" + name + "' (first at " + first + ")");
                    }
                });
            }
        }
        List<String> from = in.references(s, "from", sp, mcpScopes, "MCP scope");
        if (s.entries().get("from") == null) {
            in.error(s, sp, "missing required field 'from' (the MCP scopes whose holders may exchange for it)");
        } else if (from.isEmpty() && s.entries().get("from").value() instanceof Node.Sequence seq && seq.items().isEmpty()) {
            in.error(s.entries().get("from").value(), sp + ".from", "at least one MCP scope is required");
        }
        return new DownstreamScopeSpec(name, in.optional(s, "description", sp).orElse(""), from);
    }
}
