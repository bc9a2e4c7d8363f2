package org.mcpidp.provisioning.spec;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's scope hierarchy ({@link ScopeSpec#implies()}) in the form the MCP server reads it: MCP 2026-07-28 says
 * servers MUST account for scope hierarchies, and no IdP the kit provisions has one (Keycloak and Entra put only the
 * granted scopes into a token), so the server adds what a granted scope implies. The spec is the one source: the dev
 * stack passes {@link #variableValue()} to the demo server, and {@code idp-provisioning} prints it for yours.
 *
 * @param implies each scope that implies others -> the narrower scopes it names, in spec order
 */
public record ScopeHierarchy(Map<String, List<String>> implies) {

    /** The MCP server's configuration key: a list of {@code broader > narrower} entries. */
    public static final String KEY = "mcp.auth.scope-hierarchy";

    /** The same as one environment variable: the entries comma-separated ({@link #variableValue()}). */
    public static final String VARIABLE = "MCP_AUTH_SCOPE_HIERARCHY";

    public ScopeHierarchy {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        implies.forEach((broader, narrower) -> {
            if (!narrower.isEmpty()) {
                copy.put(broader, List.copyOf(narrower));
            }
        });
        implies = Collections.unmodifiableMap(copy);
    }

    /** The hierarchy of {@code tenant}'s scopes. */
    public static ScopeHierarchy of(TenantSpec tenant) {
        Map<String, List<String>> implies = new LinkedHashMap<>();
        tenant.scopes().forEach(scope -> implies.put(scope.name(), scope.implies()));
        return new ScopeHierarchy(implies);
    }

    public boolean isEmpty() {
        return implies.isEmpty();
    }

    /**
     * The entries of {@link #KEY}, one per scope that implies others, in spec order, several narrower scopes
     * space-separated: {@code mcp:write > mcp:read}, {@code mcp:admin > mcp:write}.
     */
    public List<String> entries() {
        return implies.entrySet().stream().map(e -> e.getKey() + " > " + String.join(" ", e.getValue())).toList();
    }

    /**
     * The value of {@link #VARIABLE}: the entries comma-separated. Empty when no scope implies another: set so, the
     * variable also clears a hierarchy the server's {@code application.yaml} holds.
     */
    public String variableValue() {
        return String.join(",", entries());
    }

    /** Each scope that implies others -> every scope it implies, directly or through others (what a server adds). */
    public Map<String, Set<String>> closure() {
        Map<String, Set<String>> closure = new LinkedHashMap<>();
        for (String broader : implies.keySet()) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(implies.get(broader));
            while (!pending.isEmpty()) {
                String next = pending.pop();
                if (reached.add(next)) {
                    pending.addAll(implies.getOrDefault(next, List.of()));
                }
            }
            reached.remove(broader);
            closure.put(broader, Set.copyOf(reached));
        }
        return closure;
    }
}
