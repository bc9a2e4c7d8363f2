package org.mcpidp.provisioning.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's {@code scopes}: {@link ScopeSpec}s, unique names, none that the target reserves, declared roles only.
 * Each scope's {@code implies} names declared scopes (wherever in the list), no scope implies itself, directly or
 * through others, and no implication opens a role gate: whoever may get the broader scope may get each scope it
 * implies on their own (see {@link #refuseOpenedGates}).
 */
final class ScopeBinder {

    // RFC 6749 section 3.3 scope-token characters.
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    /** @param declared scope name -> where it was declared (what clients may refer to, and where warnings point) */
    record Scopes(List<ScopeSpec> scopes, Map<String, Node> declared) {
    }

    /**
     * One written scope, read before its {@code implies} can be checked; {@code sound} when its name and roles were
     * read without an error (only then is its role gate compared with others').
     */
    private record Written(Node.Mapping mapping, String path, String name, String description, List<String> roles,
                           boolean sound) {
    }

    private ScopeBinder() {
    }

    /** @param rolesSound the tenant's roles were read without an error: only then are role gates compared */
    static Scopes bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path, RoleBinder.Roles roles,
                       boolean rolesSound) {
        List<Written> written = new ArrayList<>();
        Map<String, Node> declared = new HashMap<>();
        in.each(tenant, "scopes", path, (item, p) -> {
            Node.Mapping s = in.mapping(item, p).orElse(null);
            if (s == null) {
                return;
            }
            int before = in.errorCount();
            in.fields(s, p, Set.of("name", "description", "roles", "implies"));
            String name = in.required(s, "name", p, SCOPE, "an OAuth scope token (no spaces, quotes or backslashes)");
            if (name != null) {
                Node at = s.entries().get("name").value();
                rules.scope(name).ifPresentOrElse(why -> in.error(at, p + ".name", why), () -> {
                    if (declared.putIfAbsent(name, s) != null) {
                        in.error(at, p + ".name", "duplicate scope '" + name + "'");
                    }
                });
            }
            String description = in.optional(s, "description", p).orElse("");
            List<String> gate = in.references(s, "roles", p, roles.declared(), "role");
            written.add(new Written(s, p, name, description, gate, in.errorCount() == before));
        });
        // Implies second: a scope may imply one declared further down.
        List<ScopeSpec> scopes = new ArrayList<>();
        Map<String, List<String>> implies = new LinkedHashMap<>();
        for (Written w : written) {
            List<String> implied = in.references(w.mapping(), "implies", w.path(), declared.keySet(), "scope");
            scopes.add(new ScopeSpec(w.name(), w.description(), w.roles(), implied));
            if (w.name() != null && declared.get(w.name()) == w.mapping()) {
                implies.putIfAbsent(w.name(), implied);
            }
        }
        Cycles.refuse(in, written.stream().map(w -> new Cycles.Declared(w.name(), w.mapping(), w.path())).toList(),
                implies, "implies", (scope, cycle) -> "scope '" + scope + "' implies itself: " + cycle
                        + " (scopes may not imply each other in a cycle)");
        if (rolesSound) {
            refuseOpenedGates(in, written, implies, roles);
        }
        return new Scopes(scopes, declared);
    }

    /**
     * MCP servers honour the hierarchy, so a token with the broader scope reaches every tool of the narrower ones.
     * Keycloak gives a scope only to holders of one of its roles; an implication must not hand a gated scope's tools to
     * someone without such a role. So every role mapped to the broader scope must hold (itself, or through
     * {@code includes}) a role mapped to each scope it implies, and an open broader scope may imply open scopes only.
     * Checked for direct implications: chains follow, because holding a role is transitive.
     */
    private static void refuseOpenedGates(SpecReader in, List<Written> written, Map<String, List<String>> implies,
                                          RoleBinder.Roles roles) {
        // Each declared scope once (a duplicate is an error already): implies holds exactly those.
        Map<String, Written> byName = new LinkedHashMap<>();
        written.stream().filter(w -> w.name() != null && implies.containsKey(w.name()))
                .forEach(w -> byName.putIfAbsent(w.name(), w));
        Map<String, List<String>> includes = new HashMap<>();
        roles.roles().stream().filter(r -> r.name() != null).forEach(r -> includes.putIfAbsent(r.name(), r.includes()));
        for (Written broader : byName.values()) {
            for (String implied : implies.get(broader.name())) {
                Written narrower = byName.get(implied);
                if (!broader.sound() || narrower == null || !narrower.sound() || narrower.roles().isEmpty()) {
                    continue;
                }
                Node at = entry(broader.mapping(), "implies", implied);
                String field = broader.path() + ".implies[" + index(broader.mapping(), "implies", implied) + "]";
                String gate = quoted(narrower.roles());
                String oneOf = narrower.roles().size() == 1 ? gate : "one of " + gate;
                if (broader.roles().isEmpty()) {
                    in.error(at, field, "scope '" + broader.name() + "' implies '" + implied + "', which only holders "
                            + "of " + oneOf + " may get, but has no roles itself: anyone who may request '"
                            + broader.name() + "' would reach the tools of '" + implied + "' (map '" + broader.name()
                            + "' to roles that hold " + oneOf + ", or drop the implication)");
                    continue;
                }
                List<String> lacking = broader.roles().stream()
                        .filter(role -> held(role, includes).stream().noneMatch(narrower.roles()::contains)).toList();
                if (!lacking.isEmpty()) {
                    boolean one = lacking.size() == 1;
                    in.error(at, field, "scope '" + broader.name() + "' implies '" + implied + "', but "
                            + (one ? "role " : "roles ") + quoted(lacking) + " (mapped to '" + broader.name() + "') "
                            + (one ? "holds" : "hold") + " none of the roles of '" + implied + "' (" + gate
                            + "), directly or through "
                            + "includes: " + (one ? "its" : "their") + " holders would reach the tools of '" + implied
                            + "' without a role that grants it (let " + quoted(lacking) + " include " + oneOf
                            + ", or drop the implication)");
                }
            }
        }
    }

    /** {@code role} and every role it includes, transitively. */
    private static Set<String> held(String role, Map<String, List<String>> includes) {
        Set<String> held = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(role));
        while (!todo.isEmpty()) {
            String next = todo.poll();
            if (held.add(next)) {
                todo.addAll(includes.getOrDefault(next, List.of()));
            }
        }
        return held;
    }

    /** The list item of {@code key} that names {@code value}, else the list itself. */
    private static Node entry(Node.Mapping mapping, String key, String value) {
        Node list = mapping.entries().get(key).value();
        int i = index(mapping, key, value);
        return list instanceof Node.Sequence s && i < s.items().size() ? s.items().get(i) : list;
    }

    private static int index(Node.Mapping mapping, String key, String value) {
        if (mapping.entries().get(key).value() instanceof Node.Sequence s) {
            for (int i = 0; i < s.items().size(); i++) {
                if (s.items().get(i) instanceof Node.Scalar sc && value.equals(sc.text())) {
                    return i;
                }
            }
        }
        return 0;
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
