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
 * A tenant's {@code roles}: {@link RoleSpec}s, unique names, none that the target reserves; each role's
 * {@code includes} names declared roles (wherever in the list) and no role includes itself, directly or through others.
 */
final class RoleBinder {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** @param declared the names scopes, clients and users may refer to (reserved and duplicate ones are not) */
    record Roles(List<RoleSpec> roles, Set<String> declared) {
    }

    /** One written role: its mapping, path and name, read before its {@code includes} can be checked. */
    private record Written(Node.Mapping mapping, String path, String name, String description) {
    }

    private RoleBinder() {
    }

    static Roles bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path) {
        List<Written> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        in.each(tenant, "roles", path, (item, p) -> {
            Node.Mapping r = in.mapping(item, p).orElse(null);
            if (r == null) {
                return;
            }
            in.fields(r, p, Set.of("name", "description", "includes"));
            String name = in.required(r, "name", p, ROLE, "a role name (letters, digits, '.', '_', ':', '-')");
            if (name != null) {
                Node at = r.entries().get("name").value();
                rules.role(name).ifPresentOrElse(why -> in.error(at, p + ".name", why), () -> {
                    if (!names.add(name)) {
                        in.error(at, p + ".name", "duplicate role '" + name + "'");
                    }
                });
            }
            written.add(new Written(r, p, name, in.optional(r, "description", p).orElse("")));
        });
        // Includes second: a role may include one declared further down.
        List<RoleSpec> roles = new ArrayList<>();
        Map<String, List<String>> includes = new LinkedHashMap<>();
        for (Written w : written) {
            List<String> included = in.references(w.mapping(), "includes", w.path(), names, "role");
            roles.add(new RoleSpec(w.name(), w.description(), included));
            if (w.name() != null && names.contains(w.name())) {
                includes.putIfAbsent(w.name(), included);
            }
        }
        refuseCycles(in, written, includes);
        return new Roles(roles, names);
    }

    /**
     * Reports each cycle once, at the {@code includes} entry of its first role (in spec order) that leads back to
     * it, with the whole cycle spelled out.
     */
    private static void refuseCycles(SpecReader in, List<Written> written, Map<String, List<String>> includes) {
        Set<String> reported = new HashSet<>();
        for (Written w : written) {
            String start = w.name();
            if (start == null || reported.contains(start) || !includes.containsKey(start)) {
                continue;
            }
            List<String> cycle = pathBack(start, includes);
            if (cycle.isEmpty()) {
                continue;
            }
            reported.addAll(cycle);
            // Point at the includes entry that starts the way back (its index in the list as written).
            Node.Entry entry = w.mapping().entries().get("includes");
            Node at = entry.value();
            int first = 0;
            if (entry.value() instanceof Node.Sequence s) {
                for (int i = 0; i < s.items().size(); i++) {
                    if (s.items().get(i) instanceof Node.Scalar sc && cycle.get(1).equals(sc.text())) {
                        at = sc;
                        first = i;
                        break;
                    }
                }
            }
            in.error(at, w.path() + ".includes[" + first + "]", "role '" + start + "' includes itself: "
                    + String.join(" -> ", cycle) + " (roles may not include each other in a cycle)");
        }
    }

    /** The shortest {@code start -> ... -> start} through includes, or empty when there is none. */
    private static List<String> pathBack(String start, Map<String, List<String>> includes) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String next : includes.getOrDefault(start, List.of())) {
            if (next.equals(start)) {
                return List.of(start, start);
            }
            if (parent.putIfAbsent(next, start) == null) {
                queue.add(next);
            }
        }
        while (!queue.isEmpty()) {
            String role = queue.poll();
            for (String next : includes.getOrDefault(role, List.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String at = role; !at.equals(start); at = parent.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (parent.putIfAbsent(next, role) == null) {
                    queue.add(next);
                }
            }
        }
        return List.of();
    }
}
