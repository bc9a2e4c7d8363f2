package org.mcpidp.provisioning.spec;

import java.util.ArrayList;
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
        Cycles.refuse(in, written.stream().map(w -> new Cycles.Declared(w.name(), w.mapping(), w.path())).toList(),
                includes, "includes", (role, cycle) -> "role '" + role + "' includes itself: " + cycle
                        + " (roles may not include each other in a cycle)");
        return new Roles(roles, names);
    }
}
