package org.mcpidp.provisioning.spec;

import java.util.List;

/**
 * A scope clients may request, e.g. {@code mcp:read}. Becomes a client scope that also sets the audience.
 *
 * @param roles   realm roles that may hold the scope; empty means open (every user of a client that may request it
 *                gets it by asking). Keycloak: the client scope's role scope mappings, so Keycloak leaves the scope out
 *                of a token whose user or service account holds none of them. Entra: an app role only (no delegated
 *                permission), assigned to the principals holding those roles
 * @param implies narrower scopes of the same tenant that this one implies (MCP 2026-07-28 scope hierarchies): a token
 *                granted this scope is sufficient wherever one of them is required. No IdP holds it: tokens carry only
 *                the scopes granted and the MCP server adds what they imply ({@code mcp.auth.scope-hierarchy},
 *                {@link TenantSpec#scopeHierarchy()}). The loader refuses an undeclared scope, a cycle, and an
 *                implied scope that a role of this one could not get on its own
 */
public record ScopeSpec(String name, String description, List<String> roles, List<String> implies) {

    public ScopeSpec {
        roles = List.copyOf(roles);
        implies = List.copyOf(implies);
    }

    /** A scope that implies no other. */
    public ScopeSpec(String name, String description, List<String> roles) {
        this(name, description, roles, List.of());
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
