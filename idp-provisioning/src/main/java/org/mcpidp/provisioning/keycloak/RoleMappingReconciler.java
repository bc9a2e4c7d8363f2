package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;

/**
 * Realm roles of agents' service-account users and of demo users. Only roles this tool manages are compared and
 * revoked; Keycloak's {@code default-roles-<realm>} and hand-granted roles stay.
 */
final class RoleMappingReconciler implements Reconciler {

    @Override
    public ResourceType type() {
        return ResourceType.ROLE_MAPPING;
    }

    @Override
    public Diff plan(TenantSpec spec, LiveRealm live) {
        Set<String> managed = managedRoles(spec, live.roles());
        List<Change> upserts = new ArrayList<>();
        int unchanged = 0;
        List<String[]> principals = new ArrayList<>();
        for (ClientSpec client : spec.clients()) {
            if (client.type() == ClientSpec.Type.AGENT) {
                principals.add(new String[] {LiveRealm.principal(client), FieldChange.list(client.roles())});
            }
        }
        for (UserSpec user : spec.users()) {
            principals.add(new String[] {LiveRealm.principal(user), FieldChange.list(user.roles())});
        }
        for (String[] principal : principals) {
            List<String> current = live.roleMappings().get(principal[0]);
            if (current == null) {
                if (!principal[1].isEmpty()) {
                    upserts.add(new Change.Create(type(), principal[0], List.of(new FieldChange("roles", "", principal[1]))));
                }
                continue;
            }
            String before = FieldChange.list(current.stream().filter(managed::contains).toList());
            if (before.equals(principal[1])) {
                unchanged++;
            } else {
                upserts.add(new Change.Update(type(), principal[0], List.of(new FieldChange("roles", before, principal[1]))));
            }
        }
        return new Diff(upserts, List.of(), unchanged);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        String userId;
        List<String> desired;
        if (change.name().startsWith("client ")) {
            ClientSpec client = spec.client(change.name().substring("client ".length())).orElseThrow();
            UserRepresentation account = gateway.serviceAccountUser(realm, context.client(client.clientId()).getId());
            userId = account.getId();
            desired = client.roles();
        } else {
            UserSpec user = spec.user(change.name().substring("user ".length())).orElseThrow();
            userId = gateway.user(realm, user.username()).orElseThrow().getId();
            desired = user.roles();
        }
        List<RoleRepresentation> roles = gateway.roles(realm);
        Set<String> managed = managedRoles(spec, roles);
        Set<String> current = new HashSet<>();
        gateway.realmRoleMappings(realm, userId).forEach(r -> current.add(r.getName()));
        List<RoleRepresentation> grant = roles.stream()
                .filter(r -> desired.contains(r.getName()) && !current.contains(r.getName())).toList();
        List<RoleRepresentation> revoke = roles.stream()
                .filter(r -> managed.contains(r.getName()) && !desired.contains(r.getName()) && current.contains(r.getName()))
                .toList();
        if (!grant.isEmpty()) {
            gateway.addRealmRoles(realm, userId, grant);
        }
        if (!revoke.isEmpty()) {
            gateway.removeRealmRoles(realm, userId, revoke);
        }
    }

    static Set<String> managedRoles(TenantSpec spec, List<RoleRepresentation> liveRoles) {
        Set<String> managed = new HashSet<>();
        spec.roles().forEach(r -> managed.add(r.name()));
        liveRoles.stream().filter(r -> Ownership.ownedRole(r.getAttributes(), spec.realm())).forEach(r -> managed.add(r.getName()));
        return managed;
    }
}
