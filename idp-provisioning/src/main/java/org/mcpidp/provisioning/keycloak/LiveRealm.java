package org.mcpidp.provisioning.keycloak;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
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
 * @param roleMappings          realm role names per existing principal ({@code "client x"} / {@code "user y"})
 * @param scopeRoles            realm roles mapped to each of the spec's existing client scopes (role scope mappings)
 * @param roleComposites        realm roles each of the spec's existing roles includes as a Keycloak composite (only
 *                              the composite ones are listed)
 * @param defaultOptionalScopes names of the realm's default optional client scopes
 * @param registrationPolicies  the realm's client registration policies (components)
 * @param clientProfiles        the realm's client policy profiles (not the global ones)
 * @param clientPolicies        the realm's client policies (not the global ones)
 * @param cimdFeature           the server runs with the EXPERIMENTAL feature cimd (only asked when the spec needs it)
 * @param resourceIndicators    the server runs with the EXPERIMENTAL feature resource-indicators (always asked: it
 *                              decides the {@link AudienceScheme})
 */
record LiveRealm(Optional<RealmRepresentation> realm, List<ClientScopeRepresentation> scopes,
                 List<ClientRepresentation> clients, List<RoleRepresentation> roles, Map<String, UserRepresentation> users,
                 Set<String> ownedUsers, Map<String, List<String>> roleMappings, Map<String, List<String>> scopeRoles,
                 Map<String, List<String>> roleComposites, Set<String> defaultOptionalScopes,
                 List<ComponentRepresentation> registrationPolicies, List<ClientProfileRepresentation> clientProfiles,
                 List<ClientPolicyRepresentation> clientPolicies, boolean cimdFeature, boolean resourceIndicators) {

    static LiveRealm read(KeycloakGateway gateway, TenantSpec spec) {
        String name = spec.realm();
        Optional<RealmRepresentation> realm = gateway.realm(name);
        boolean cimd = PeopleClients.anyMetadataDocuments(spec)
                && gateway.policies().featureEnabled(ClientPolicyReconciler.FEATURE);
        boolean resourceIndicators = gateway.policies().featureEnabled(AudienceScheme.FEATURE);
        if (realm.isEmpty()) {
            return new LiveRealm(realm, List.of(), List.of(), List.of(), Map.of(), Set.of(), Map.of(), Map.of(), Map.of(),
                    Set.of(), List.of(), List.of(), List.of(), cimd, resourceIndicators);
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
        List<ClientScopeRepresentation> scopes = gateway.clientScopes(name);
        Map<String, List<String>> scopeRoles = new HashMap<>();
        for (ClientScopeRepresentation scope : scopes) {
            if (spec.scope(scope.getName()).isPresent() || Ownership.owned(scope.getAttributes(), name)) {
                scopeRoles.put(scope.getName(), roleNames(gateway.scopeRealmRoles(name, scope.getId())));
            }
        }
        List<RoleRepresentation> roles = gateway.roles(name);
        Map<String, List<String>> composites = new HashMap<>();
        roles.stream().filter(r -> Boolean.TRUE.equals(r.isComposite()) && spec.role(r.getName()).isPresent())
                .forEach(r -> composites.put(r.getName(), roleNames(gateway.realmRoleComposites(name, r.getName()))));
        Set<String> defaultOptional = new HashSet<>();
        gateway.defaultOptionalScopes(name).forEach(s -> defaultOptional.add(s.getName()));
        return new LiveRealm(realm, scopes, clients, roles, users, ledger, mappings, scopeRoles, composites,
                defaultOptional, gateway.policies().registrationPolicies(name), gateway.policies().clientProfiles(name),
                gateway.policies().clientPolicies(name), cimd, resourceIndicators);
    }

    /** How tokens get their audience in this realm, given the spec and the server's features. */
    AudienceScheme scheme(TenantSpec spec) {
        return AudienceScheme.choose(spec, resourceIndicators);
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
