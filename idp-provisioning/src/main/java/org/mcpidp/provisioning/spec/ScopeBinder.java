package org.mcpidp.provisioning.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A tenant's {@code scopes}: {@link ScopeSpec}s, unique names, none that the target reserves, declared roles only. */
final class ScopeBinder {

    // RFC 6749 section 3.3 scope-token characters.
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    /** @param declared scope name -> where it was declared (what clients may refer to, and where warnings point) */
    record Scopes(List<ScopeSpec> scopes, Map<String, Node> declared) {
    }

    private ScopeBinder() {
    }

    static Scopes bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path, Set<String> roleNames) {
        List<ScopeSpec> scopes = new ArrayList<>();
        Map<String, Node> declared = new HashMap<>();
        in.each(tenant, "scopes", path, (item, p) -> {
            Node.Mapping s = in.mapping(item, p).orElse(null);
            if (s == null) {
                return;
            }
            in.fields(s, p, Set.of("name", "description", "roles"));
            String name = in.required(s, "name", p, SCOPE, "an OAuth scope token (no spaces, quotes or backslashes)");
            if (name != null) {
                Node at = s.entries().get("name").value();
                rules.scope(name).ifPresentOrElse(why -> in.error(at, p + ".name", why), () -> {
                    if (declared.putIfAbsent(name, s) != null) {
                        in.error(at, p + ".name", "duplicate scope '" + name + "'");
                    }
                });
            }
            scopes.add(new ScopeSpec(name, in.optional(s, "description", p).orElse(""),
                    in.references(s, "roles", p, roleNames, "role")));
        });
        return new Scopes(scopes, declared);
    }
}
