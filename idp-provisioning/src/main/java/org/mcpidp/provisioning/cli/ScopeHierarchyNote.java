package org.mcpidp.provisioning.cli;

import java.io.PrintWriter;
import org.mcpidp.provisioning.spec.ScopeHierarchy;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Tells the user what no IdP object carries: the tenant's scope hierarchy ({@code scopes[].implies}), one line per
 * implication, and the MCP server setting that applies it. Neither Keycloak nor Entra ID has scope hierarchies (a token
 * carries only the scopes granted), so plan and apply change nothing for it; the server must be configured with it.
 */
final class ScopeHierarchyNote {

    private ScopeHierarchyNote() {
    }

    /** Prints nothing when no scope implies another. */
    static void print(TenantSpec tenant, TargetOptions.Target target, PrintWriter out) {
        ScopeHierarchy hierarchy = tenant.scopeHierarchy();
        if (hierarchy.isEmpty()) {
            return;
        }
        out.println("Scope hierarchy of " + tenant.realm() + ", applied by the MCP server, not the IdP ("
                + switch (target) {
                    case keycloak -> "Keycloak has none: tokens carry only the scopes granted; nothing in the realm "
                            + "changes for it";
                    case entra -> "Entra ID has none: tokens carry only the granted scp or roles; nothing in Graph "
                            + "changes for it";
                } + "):");
        hierarchy.entries().forEach(entry -> out.println("  " + entry));
        out.println("  Configure the server with " + ScopeHierarchy.KEY + ", or " + ScopeHierarchy.VARIABLE + "='"
                + hierarchy.variableValue() + "'");
    }
}
