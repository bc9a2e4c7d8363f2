package org.mcpidp.provisioning.keycloak;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;

/**
 * One consistent read of everything a tenant's plan depends on, taken once per plan (reads only).
 *
 * @param roleMappings realm role names per existing principal ({@code "client x"} / {@code "user y"})
 */
record LiveRealm(Optional<RealmRepresentation> realm, List<ClientScopeRepresentation> scopes,
                 List<ClientRepresentation> clients, List<RoleRepresentation> roles, Map<String, UserRepresentation> users,
                 Set<String> ownedUsers, Map<String, List<String>> roleMappings) {

    static LiveRealm read(KeycloakGateway gateway, TenantSpec spec) {
        String name = spec.realm();
        Optional<RealmRepresentation> realm = gateway.realm(name);
        if (realm.isEmpty()) {
            return new LiveRealm(realm, List.of(), List.of(), List.of(), Map.of(), Set.of(), Map.of());
        }
        Set<String> ledger = Ownership.ledger(realm.get().getAttributes());
        List<ClientRepresentation> clients = gateway.clients(name);
        Map<String, List<String>> mappings = new HashMap<>();
        for (ClientSpec agent : spec.clients()) {
            clients.stream()
                    .filter(c -> c.getClientId().equals(agent.clientId()) && Boolean.TRUE.equals(c.isServiceAccountsEnabled()))
                    .findFirst()
                    .ifPresent(c -> mappings.put(principal(agent), roleNames(gateway.realmRoleMappings(name,
                            gateway.serviceAccountUser(name, c.getId()).getId()))));
        }
        Map<String, UserRepresentation> users = new HashMap<>();
        Set<String> usernames = new LinkedHashSet<>();
        spec.users().forEach(u -> usernames.add(u.username()));
        usernames.addAll(ledger);
        for (String username : usernames) {
            gateway.user(name, username).ifPresent(u -> {
                users.put(username, u);
                mappings.put("user " + username, roleNames(gateway.realmRoleMappings(name, u.getId())));
            });
        }
        return new LiveRealm(realm, gateway.clientScopes(name), clients, gateway.roles(name), users, ledger, mappings);
    }

    static String principal(ClientSpec agent) {
        return "client " + agent.clientId();
    }

    static String principal(UserSpec user) {
        return "user " + user.username();
    }

    Optional<ClientScopeRepresentation> scope(String scopeName) {
        return scopes.stream().filter(s -> s.getName().equals(scopeName)).findFirst();
    }

    Optional<ClientRepresentation> client(String clientId) {
        return clients.stream().filter(c -> c.getClientId().equals(clientId)).findFirst();
    }

    Optional<RoleRepresentation> role(String roleName) {
        return roles.stream().filter(r -> r.getName().equals(roleName)).findFirst();
    }

    private static List<String> roleNames(List<RoleRepresentation> roles) {
        return roles.stream().map(RoleRepresentation::getName).toList();
    }
}
