package org.mcpidp.provisioning.keycloak;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;

/**
 * Realm roles of agents' service-account users and of demo users: the roles the spec gives them and every role those
 * include ({@link TenantSpec#effectiveRoles}), each granted explicitly. Only roles this tool manages are compared and
 * revoked; Keycloak's {@code default-roles-<realm>} and hand-granted roles stay.
 */
final class RoleMappingReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.ROLE_MAPPING;
    }

    /** A principal with no roles is only planned when it holds some live (to revoke them). */
    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (ClientSpec client : spec.clients()) {
            if (client.type() == ClientSpec.Type.AGENT) {
                want(wanted, live, LiveRealm.principal(client), spec.effectiveRoles(client.roles()));
            }
        }
        for (UserSpec user : spec.users()) {
            want(wanted, live, LiveRealm.principal(user), spec.effectiveRoles(user.roles()));
        }
        return wanted;
    }

    private static void want(Map<String, Map<String, String>> wanted, LiveRealm live, String principal,
                             List<String> roles) {
        if (!roles.isEmpty() || live.roleMappings().containsKey(principal)) {
            wanted.put(principal, Map.of("roles", FieldChange.list(roles)));
        }
    }

    @Override
    protected List<FieldChange> created(TenantSpec spec, String principal, Map<String, String> desired) {
        return List.of(new FieldChange("roles", "", desired.get("roles")));
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String principal,
                                                    Map<String, String> desired) {
        Set<String> managed = managedRoles(spec, live.roles());
        return Optional.ofNullable(live.roleMappings().get(principal))
                .map(roles -> Map.of("roles", FieldChange.list(roles.stream().filter(managed::contains).toList())));
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
            desired = spec.effectiveRoles(client.roles());
        } else {
            UserSpec user = spec.user(change.name().substring("user ".length())).orElseThrow();
            userId = gateway.user(realm, user.username()).orElseThrow().getId();
            desired = spec.effectiveRoles(user.roles());
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
