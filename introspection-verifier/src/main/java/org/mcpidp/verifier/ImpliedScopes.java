package org.mcpidp.verifier;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The scope hierarchy of an {@link AccessPolicy}, closed once when the policy is built: each scope mapped to every
 * narrower scope it implies, directly or through others, so a verification looks implications up instead of walking
 * them.
 *
 * @param implied every scope each scope implies, transitively
 */
record ImpliedScopes(Map<String, Set<String>> implied) {

    /** Every scope each scope implies, directly or through others; a scope that implies itself is refused. */
    static ImpliedScopes of(Map<String, Set<String>> direct) {
        Map<String, Set<String>> closure = new LinkedHashMap<>();
        for (String scope : direct.keySet()) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(direct.get(scope));
            while (!pending.isEmpty()) {
                String next = pending.pop();
                if (next.equals(scope)) {
                    throw new IllegalStateException("scope " + scope + " implies itself (a cycle in the scope "
                            + "hierarchy)");
                }
                if (reached.add(next)) {
                    pending.addAll(direct.getOrDefault(next, Set.of()));
                }
            }
            closure.put(scope, Set.copyOf(reached));
        }
        return new ImpliedScopes(Map.copyOf(closure));
    }

    /** {@code granted} and every scope it implies. */
    Set<String> effective(Set<String> granted) {
        Set<String> effective = new LinkedHashSet<>(granted);
        for (String scope : granted) {
            effective.addAll(implied.getOrDefault(scope, Set.of()));
        }
        return effective;
    }
}
