package org.mcpidp.provisioning.keycloak;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.representations.idm.RoleRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * A client scope's realm role scope mappings, the same for MCP and downstream scopes: holders of none of its roles do
 * not get the scope. Only roles this tool manages count; mappings to other roles (made by hand) are left alone.
 */
final class ScopeRoleMappings {

    private ScopeRoleMappings() {
    }

    /** The plan field: the scope's mapped roles that this tool manages. */
    static String field(TenantSpec spec, LiveRealm live, String scope) {
        Set<String> managed = RoleMappingReconciler.managedRoles(spec, live.roles());
        return FieldChange.list(live.scopeRoles().getOrDefault(scope, List.of()).stream()
                .filter(managed::contains).toList());
    }

    /** Maps {@code wanted} to the scope and unmaps the managed roles it maps that are no longer wanted. */
    static void sync(ApplyContext context, TenantSpec spec, String scopeId, List<String> wanted) {
        KeycloakGateway gateway = context.gateway();
        Set<String> managed = RoleMappingReconciler.managedRoles(spec, gateway.roles(context.realm()));
        List<String> revoke = gateway.scopeRealmRoles(context.realm(), scopeId).stream().map(RoleRepresentation::getName)
                .filter(r -> managed.contains(r) && !wanted.contains(r)).toList();
        grant(context, scopeId, wanted, revoke);
    }

    /** Adds the missing ones of {@code wanted} and removes {@code revoke}; writes nothing when nothing differs. */
    static void grant(ApplyContext context, String scopeId, List<String> wanted, List<String> revoke) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        Set<String> current = new HashSet<>();
        if (!wanted.isEmpty()) {
            gateway.scopeRealmRoles(realm, scopeId).forEach(r -> current.add(r.getName()));
        }
        List<RoleRepresentation> add = wanted.stream().filter(r -> !current.contains(r))
                .map(r -> gateway.role(realm, r)).toList();
        if (!add.isEmpty()) {
            gateway.addScopeRealmRoles(realm, scopeId, add);
        }
        if (!revoke.isEmpty()) {
            gateway.removeScopeRealmRoles(realm, scopeId, revoke.stream().map(r -> gateway.role(realm, r)).toList());
        }
    }
}
