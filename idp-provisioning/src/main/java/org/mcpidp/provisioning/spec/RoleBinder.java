package org.mcpidp.provisioning.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A tenant's {@code roles}: {@link RoleSpec}s, unique names, none that the target reserves. */
final class RoleBinder {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** @param declared the names scopes, clients and users may refer to (reserved and duplicate ones are not) */
    record Roles(List<RoleSpec> roles, Set<String> declared) {
    }

    private RoleBinder() {
    }

    static Roles bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path) {
        List<RoleSpec> roles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        in.each(tenant, "roles", path, (item, p) -> {
            Node.Mapping r = in.mapping(item, p).orElse(null);
            if (r == null) {
                return;
            }
            in.fields(r, p, Set.of("name", "description"));
            String name = in.required(r, "name", p, ROLE, "a role name (letters, digits, '.', '_', ':', '-')");
            if (name != null) {
                Node at = r.entries().get("name").value();
                rules.role(name).ifPresentOrElse(why -> in.error(at, p + ".name", why), () -> {
                    if (!names.add(name)) {
                        in.error(at, p + ".name", "duplicate role '" + name + "'");
                    }
                });
            }
            roles.add(new RoleSpec(name, in.optional(r, "description", p).orElse("")));
        });
        return new Roles(roles, names);
    }
}
