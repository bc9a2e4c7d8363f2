package org.mcpidp.provisioning.spec;

import java.util.List;

/**
 * A realm role, granted to agents (their service-account users) and demo users.
 *
 * @param includes roles that holding this one implies (declared in the same tenant, no cycles): whoever is given this
 *                 role is also given each included role, transitively ({@link TenantSpec#effectiveRoles}). Not a
 *                 composite role in Keycloak (whose scope checks would then hand a scope mapped to this role to every
 *                 holder of an included one), and Entra app roles have no composites: both get every role explicitly
 */
public record RoleSpec(String name, String description, List<String> includes) {

    public RoleSpec {
        includes = List.copyOf(includes);
    }

    /** A role that includes no other. */
    public RoleSpec(String name, String description) {
        this(name, description, List.of());
    }
}
