package org.mcpidp.provisioning.spec;

import java.util.List;

/**
 * A scope clients may request, e.g. {@code mcp:read}. Becomes a client scope that also sets the audience.
 *
 * @param roles realm roles that may hold the scope; empty means open (every user of a client that may request it
 *              gets it by asking). Keycloak: the client scope's role scope mappings, so Keycloak leaves the scope out
 *              of a token whose user or service account holds none of them. Entra: an app role only (no delegated
 *              permission), assigned to the principals holding those roles
 */
public record ScopeSpec(String name, String description, List<String> roles) {

    public ScopeSpec {
        roles = List.copyOf(roles);
    }

    /** An open scope. */
    public ScopeSpec(String name, String description) {
        this(name, description, List.of());
    }

    /** True when only holders of {@link #roles} may get it. */
    public boolean gated() {
        return !roles.isEmpty();
    }
}
