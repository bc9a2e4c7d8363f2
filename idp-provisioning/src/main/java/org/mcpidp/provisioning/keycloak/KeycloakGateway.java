package org.mcpidp.provisioning.keycloak;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A tenant's objects through Keycloak's Admin REST API: realm, client scopes, clients, roles, users and their role
 * mappings. The realm's policies over clients are {@link #policies()}'; both make their calls through one
 * {@link AdminCalls}, which counts the writes and enforces the tests' write budget.
 */
final class KeycloakGateway implements AutoCloseable {

    private final AdminCalls calls;
    private final PolicyGateway policies;

    KeycloakGateway(Keycloak keycloak) {
        this.calls = new AdminCalls(keycloak);
        this.policies = new PolicyGateway(calls);
    }

    /** Client registration policies, client policies and profiles, server features. */
    PolicyGateway policies() {
        return policies;
    }

    long writes() {
        return calls.writes();
    }

    /** After {@code remaining} more writes, every further write fails (see {@link AdminCalls#writeBudget}). */
    void writeBudget(long remaining) {
        calls.writeBudget(remaining);
    }

    // ---- reads ----

    Optional<RealmRepresentation> realm(String realm) {
        return calls.read("read realm " + realm, () -> {
            try {
                return Optional.of(calls.realm(realm).toRepresentation());
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    List<ClientScopeRepresentation> clientScopes(String realm) {
        return calls.read("list client scopes", () -> calls.realm(realm).clientScopes().findAll());
    }

    List<ClientRepresentation> clients(String realm) {
        return calls.read("list clients", () -> calls.realm(realm).clients().findAll());
    }

    List<RoleRepresentation> roles(String realm) {
        return calls.read("list roles", () -> calls.realm(realm).roles().list(false));
    }

    Optional<UserRepresentation> user(String realm, String username) {
        return calls.read("find user " + username, () -> calls.realm(realm).users().searchByUsername(username, true)
                .stream().filter(u -> username.equals(u.getUsername())).findFirst());
    }

    UserRepresentation serviceAccountUser(String realm, String clientUuid) {
        return calls.read("read service account", () -> calls.realm(realm).clients().get(clientUuid).getServiceAccountUser());
    }

    List<RoleRepresentation> realmRoleMappings(String realm, String userId) {
        return calls.read("read role mappings", () -> calls.realm(realm).users().get(userId).roles().realmLevel().listAll());
    }

    String clientSecret(String realm, String clientUuid) {
        return calls.read("read client secret", () -> calls.realm(realm).clients().get(clientUuid).getSecret().getValue());
    }

    ClientRepresentation client(String realm, String uuid) {
        return calls.read("read client", () -> calls.realm(realm).clients().get(uuid).toRepresentation());
    }

    UserRepresentation userById(String realm, String id) {
        return calls.read("read user", () -> calls.realm(realm).users().get(id).toRepresentation());
    }

    /** Realm roles mapped to a client scope ("role scope mappings"): holders of none do not get the scope. */
    List<RoleRepresentation> scopeRealmRoles(String realm, String scopeId) {
        return calls.read("read scope role mappings", () ->
                calls.realm(realm).clientScopes().get(scopeId).getScopeMappings().realmLevel().listAll());
    }

    List<ClientScopeRepresentation> defaultOptionalScopes(String realm) {
        return calls.read("read realm default optional client scopes", () -> calls.realm(realm).getDefaultOptionalClientScopes());
    }

    // ---- writes ----

    void addScopeRealmRoles(String realm, String scopeId, List<RoleRepresentation> roles) {
        calls.write("add scope role mappings", () -> calls.realm(realm).clientScopes().get(scopeId).getScopeMappings().realmLevel().add(roles));
    }

    void removeScopeRealmRoles(String realm, String scopeId, List<RoleRepresentation> roles) {
        calls.write("remove scope role mappings", () -> calls.realm(realm).clientScopes().get(scopeId).getScopeMappings().realmLevel().remove(roles));
    }

    void addDefaultOptionalScope(String realm, String scopeId) {
        calls.write("add realm default optional client scope", () -> calls.realm(realm).addDefaultOptionalClientScope(scopeId));
    }

    void removeDefaultOptionalScope(String realm, String scopeId) {
        calls.write("remove realm default optional client scope", () -> calls.realm(realm).removeDefaultOptionalClientScope(scopeId));
    }

    void createRealm(RealmRepresentation rep) {
        calls.write("create realm " + rep.getRealm(), () -> calls.keycloak().realms().create(rep));
    }

    void updateRealm(String realm, RealmRepresentation rep) {
        calls.write("update realm " + realm, () -> calls.realm(realm).update(rep));
    }

    String createClientScope(String realm, ClientScopeRepresentation rep) {
        return calls.write("create client scope " + rep.getName(), () -> AdminCalls.created(calls.realm(realm).clientScopes().create(rep)));
    }

    void updateClientScope(String realm, String id, ClientScopeRepresentation rep) {
        calls.write("update client scope " + rep.getName(), () -> calls.realm(realm).clientScopes().get(id).update(rep));
    }

    void deleteClientScope(String realm, String id, String name) {
        calls.write("delete client scope " + name, () -> calls.realm(realm).clientScopes().get(id).remove());
    }

    void createScopeMapper(String realm, String scopeId, ProtocolMapperRepresentation mapper) {
        calls.write("create mapper " + mapper.getName(), () -> AdminCalls.created(
                calls.realm(realm).clientScopes().get(scopeId).getProtocolMappers().createMapper(mapper)));
    }

    void deleteScopeMapper(String realm, String scopeId, String mapperId) {
        calls.write("delete mapper", () -> calls.realm(realm).clientScopes().get(scopeId).getProtocolMappers().delete(mapperId));
    }

    String createClient(String realm, ClientRepresentation rep) {
        return calls.write("create client " + rep.getClientId(), () -> AdminCalls.created(calls.realm(realm).clients().create(rep)));
    }

    void updateClient(String realm, String uuid, ClientRepresentation rep) {
        calls.write("update client " + rep.getClientId(), () -> calls.realm(realm).clients().get(uuid).update(rep));
    }

    void deleteClient(String realm, String uuid, String clientId) {
        calls.write("delete client " + clientId, () -> calls.realm(realm).clients().get(uuid).remove());
    }

    void addOptionalScope(String realm, String clientUuid, String scopeId) {
        calls.write("add optional scope", () -> calls.realm(realm).clients().get(clientUuid).addOptionalClientScope(scopeId));
    }

    void removeOptionalScope(String realm, String clientUuid, String scopeId) {
        calls.write("remove optional scope", () -> calls.realm(realm).clients().get(clientUuid).removeOptionalClientScope(scopeId));
    }

    void addDefaultScope(String realm, String clientUuid, String scopeId) {
        calls.write("add default scope", () -> calls.realm(realm).clients().get(clientUuid).addDefaultClientScope(scopeId));
    }

    void removeDefaultScope(String realm, String clientUuid, String scopeId) {
        calls.write("remove default scope", () -> calls.realm(realm).clients().get(clientUuid).removeDefaultClientScope(scopeId));
    }

    void createRole(String realm, RoleRepresentation rep) {
        calls.write("create role " + rep.getName(), () -> calls.realm(realm).roles().create(rep));
    }

    void updateRole(String realm, String name, RoleRepresentation rep) {
        calls.write("update role " + name, () -> calls.realm(realm).roles().get(name).update(rep));
    }

    void deleteRole(String realm, String name) {
        calls.write("delete role " + name, () -> calls.realm(realm).roles().deleteRole(name));
    }

    String createUser(String realm, UserRepresentation rep) {
        return calls.write("create user " + rep.getUsername(), () -> AdminCalls.created(calls.realm(realm).users().create(rep)));
    }

    void updateUser(String realm, String id, UserRepresentation rep) {
        calls.write("update user " + rep.getUsername(), () -> calls.realm(realm).users().get(id).update(rep));
    }

    void deleteUser(String realm, String id, String username) {
        calls.write("delete user " + username, () -> {
            try (Response response = calls.realm(realm).users().delete(id)) {
                AdminCalls.check(response);
            }
        });
    }

    void addRealmRoles(String realm, String userId, List<RoleRepresentation> roles) {
        calls.write("grant roles", () -> calls.realm(realm).users().get(userId).roles().realmLevel().add(roles));
    }

    void removeRealmRoles(String realm, String userId, List<RoleRepresentation> roles) {
        calls.write("revoke roles", () -> calls.realm(realm).users().get(userId).roles().realmLevel().remove(roles));
    }

    /** The realm roles a composite role includes (its direct composites). */
    List<RoleRepresentation> realmRoleComposites(String realm, String name) {
        return calls.read("read composites of role " + name, () -> List.copyOf(
                calls.realm(realm).roles().get(name).getRealmRoleComposites()));
    }

    void removeRealmRoleComposites(String realm, String name, List<RoleRepresentation> composites) {
        calls.write("remove composites of role " + name, () -> calls.realm(realm).roles().get(name).deleteComposites(composites));
    }

    RoleRepresentation role(String realm, String name) {
        return calls.read("read role " + name, () -> calls.realm(realm).roles().get(name).toRepresentation());
    }

    @Override
    public void close() {
        calls.close();
    }

    static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static Map<String, String> mutable(Map<String, String> map) {
        return map == null ? new java.util.HashMap<>() : new java.util.HashMap<>(map);
    }
}
