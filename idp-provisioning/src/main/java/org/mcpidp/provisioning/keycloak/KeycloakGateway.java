package org.mcpidp.provisioning.keycloak;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.mcpidp.provisioning.ProvisioningException;

/**
 * The only code that talks to Keycloak's Admin REST API. Every write goes through {@link #write}, which counts it
 * (re-applying an unchanged spec must cost zero writes, and tests assert that) and enforces an optional budget
 * (tests simulate an apply killed half-way).
 */
final class KeycloakGateway implements AutoCloseable {

    private final Keycloak keycloak;
    private final AtomicLong writes = new AtomicLong();
    private volatile long budget = Long.MAX_VALUE;

    KeycloakGateway(Keycloak keycloak) {
        this.keycloak = keycloak;
    }

    long writes() {
        return writes.get();
    }

    /** After {@code remaining} more writes, every further write throws {@link WriteBudgetExhausted}. */
    void writeBudget(long remaining) {
        budget = writes.get() + remaining;
    }

    // ---- reads ----

    Optional<RealmRepresentation> realm(String realm) {
        return read("read realm " + realm, () -> {
            try {
                return Optional.of(realm(realm, true).toRepresentation());
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    List<ClientScopeRepresentation> clientScopes(String realm) {
        return read("list client scopes", () -> realm(realm, true).clientScopes().findAll());
    }

    List<ClientRepresentation> clients(String realm) {
        return read("list clients", () -> realm(realm, true).clients().findAll());
    }

    List<RoleRepresentation> roles(String realm) {
        return read("list roles", () -> realm(realm, true).roles().list(false));
    }

    Optional<UserRepresentation> user(String realm, String username) {
        return read("find user " + username, () -> realm(realm, true).users().searchByUsername(username, true)
                .stream().filter(u -> username.equals(u.getUsername())).findFirst());
    }

    UserRepresentation serviceAccountUser(String realm, String clientUuid) {
        return read("read service account", () -> realm(realm, true).clients().get(clientUuid).getServiceAccountUser());
    }

    List<RoleRepresentation> realmRoleMappings(String realm, String userId) {
        return read("read role mappings", () -> realm(realm, true).users().get(userId).roles().realmLevel().listAll());
    }

    String clientSecret(String realm, String clientUuid) {
        return read("read client secret", () -> realm(realm, true).clients().get(clientUuid).getSecret().getValue());
    }

    ClientRepresentation client(String realm, String uuid) {
        return read("read client", () -> realm(realm, true).clients().get(uuid).toRepresentation());
    }

    UserRepresentation userById(String realm, String id) {
        return read("read user", () -> realm(realm, true).users().get(id).toRepresentation());
    }

    /** Realm roles mapped to a client scope ("role scope mappings"): holders of none do not get the scope. */
    List<RoleRepresentation> scopeRealmRoles(String realm, String scopeId) {
        return read("read scope role mappings", () ->
                realm(realm, true).clientScopes().get(scopeId).getScopeMappings().realmLevel().listAll());
    }

    List<ClientScopeRepresentation> defaultOptionalScopes(String realm) {
        return read("read realm default optional client scopes", () -> realm(realm, true).getDefaultOptionalClientScopes());
    }

    /** The realm's client registration policies (anonymous and authenticated). */
    List<ComponentRepresentation> registrationPolicies(String realm) {
        return read("read client registration policies", () -> realm(realm, true).components()
                .query(null, RegistrationPolicyReconciler.POLICY_TYPE));
    }

    List<ClientProfileRepresentation> clientProfiles(String realm) {
        return read("read client policy profiles", () -> listOrEmpty(
                realm(realm, true).clientPoliciesProfilesResource().getProfiles(false).getProfiles()));
    }

    List<ClientPolicyRepresentation> clientPolicies(String realm) {
        return read("read client policies", () -> listOrEmpty(
                realm(realm, true).clientPoliciesPoliciesResource().getPolicies(false).getPolicies()));
    }

    /** Whether the server runs with a feature, e.g. {@code CIMD} ({@code kc.sh --features=cimd}). */
    boolean featureEnabled(String name) {
        return read("read server info", () -> {
            var features = keycloak.serverInfo().getInfo().getFeatures();
            return features != null && features.stream()
                    .anyMatch(f -> name.equalsIgnoreCase(f.getName()) && f.isEnabled());
        });
    }

    // ---- writes ----

    void addScopeRealmRoles(String realm, String scopeId, List<RoleRepresentation> roles) {
        write("add scope role mappings", () -> realm(realm, false).clientScopes().get(scopeId).getScopeMappings().realmLevel().add(roles));
    }

    void removeScopeRealmRoles(String realm, String scopeId, List<RoleRepresentation> roles) {
        write("remove scope role mappings", () -> realm(realm, false).clientScopes().get(scopeId).getScopeMappings().realmLevel().remove(roles));
    }

    void addDefaultOptionalScope(String realm, String scopeId) {
        write("add realm default optional client scope", () -> realm(realm, false).addDefaultOptionalClientScope(scopeId));
    }

    void removeDefaultOptionalScope(String realm, String scopeId) {
        write("remove realm default optional client scope", () -> realm(realm, false).removeDefaultOptionalClientScope(scopeId));
    }

    void updateComponent(String realm, ComponentRepresentation rep) {
        write("update client registration policy " + rep.getName(), () -> realm(realm, false).components().component(rep.getId()).update(rep));
    }

    void addComponent(String realm, ComponentRepresentation rep) {
        write("add client registration policy " + rep.getName(), () -> created(realm(realm, false).components().add(rep)));
    }

    /** Replaces the realm's WHOLE list of client policy profiles (Keycloak has no per-profile endpoint). */
    void updateClientProfiles(String realm, List<ClientProfileRepresentation> profiles) {
        write("update client policy profiles", () -> {
            ClientProfilesRepresentation rep = new ClientProfilesRepresentation();
            rep.setProfiles(profiles);
            realm(realm, false).clientPoliciesProfilesResource().updateProfiles(rep);
        });
    }

    /** Replaces the realm's WHOLE list of client policies. */
    void updateClientPolicies(String realm, List<ClientPolicyRepresentation> policies) {
        write("update client policies", () -> {
            ClientPoliciesRepresentation rep = new ClientPoliciesRepresentation();
            rep.setPolicies(policies);
            realm(realm, false).clientPoliciesPoliciesResource().updatePolicies(rep);
        });
    }

    void createRealm(RealmRepresentation rep) {
        write("create realm " + rep.getRealm(), () -> keycloak.realms().create(rep));
    }

    void updateRealm(String realm, RealmRepresentation rep) {
        write("update realm " + realm, () -> realm(realm, false).update(rep));
    }

    String createClientScope(String realm, ClientScopeRepresentation rep) {
        return write("create client scope " + rep.getName(), () -> created(realm(realm, false).clientScopes().create(rep)));
    }

    void updateClientScope(String realm, String id, ClientScopeRepresentation rep) {
        write("update client scope " + rep.getName(), () -> realm(realm, false).clientScopes().get(id).update(rep));
    }

    void deleteClientScope(String realm, String id, String name) {
        write("delete client scope " + name, () -> realm(realm, false).clientScopes().get(id).remove());
    }

    void createScopeMapper(String realm, String scopeId, ProtocolMapperRepresentation mapper) {
        write("create mapper " + mapper.getName(), () -> created(
                realm(realm, false).clientScopes().get(scopeId).getProtocolMappers().createMapper(mapper)));
    }

    void deleteScopeMapper(String realm, String scopeId, String mapperId) {
        write("delete mapper", () -> realm(realm, false).clientScopes().get(scopeId).getProtocolMappers().delete(mapperId));
    }

    String createClient(String realm, ClientRepresentation rep) {
        return write("create client " + rep.getClientId(), () -> created(realm(realm, false).clients().create(rep)));
    }

    void updateClient(String realm, String uuid, ClientRepresentation rep) {
        write("update client " + rep.getClientId(), () -> realm(realm, false).clients().get(uuid).update(rep));
    }

    void deleteClient(String realm, String uuid, String clientId) {
        write("delete client " + clientId, () -> realm(realm, false).clients().get(uuid).remove());
    }

    void addOptionalScope(String realm, String clientUuid, String scopeId) {
        write("add optional scope", () -> realm(realm, false).clients().get(clientUuid).addOptionalClientScope(scopeId));
    }

    void removeOptionalScope(String realm, String clientUuid, String scopeId) {
        write("remove optional scope", () -> realm(realm, false).clients().get(clientUuid).removeOptionalClientScope(scopeId));
    }

    void addDefaultScope(String realm, String clientUuid, String scopeId) {
        write("add default scope", () -> realm(realm, false).clients().get(clientUuid).addDefaultClientScope(scopeId));
    }

    void removeDefaultScope(String realm, String clientUuid, String scopeId) {
        write("remove default scope", () -> realm(realm, false).clients().get(clientUuid).removeDefaultClientScope(scopeId));
    }

    void createRole(String realm, RoleRepresentation rep) {
        write("create role " + rep.getName(), () -> realm(realm, false).roles().create(rep));
    }

    void updateRole(String realm, String name, RoleRepresentation rep) {
        write("update role " + name, () -> realm(realm, false).roles().get(name).update(rep));
    }

    void deleteRole(String realm, String name) {
        write("delete role " + name, () -> realm(realm, false).roles().deleteRole(name));
    }

    String createUser(String realm, UserRepresentation rep) {
        return write("create user " + rep.getUsername(), () -> created(realm(realm, false).users().create(rep)));
    }

    void updateUser(String realm, String id, UserRepresentation rep) {
        write("update user " + rep.getUsername(), () -> realm(realm, false).users().get(id).update(rep));
    }

    void deleteUser(String realm, String id, String username) {
        write("delete user " + username, () -> {
            try (Response response = realm(realm, false).users().delete(id)) {
                check(response);
            }
        });
    }

    void addRealmRoles(String realm, String userId, List<RoleRepresentation> roles) {
        write("grant roles", () -> realm(realm, false).users().get(userId).roles().realmLevel().add(roles));
    }

    void removeRealmRoles(String realm, String userId, List<RoleRepresentation> roles) {
        write("revoke roles", () -> realm(realm, false).users().get(userId).roles().realmLevel().remove(roles));
    }

    RoleRepresentation role(String realm, String name) {
        return read("read role " + name, () -> realm(realm, true).roles().get(name).toRepresentation());
    }

    @Override
    public void close() {
        keycloak.close();
    }

    // ---- plumbing ----

    private RealmResource realm(String realm, boolean reading) {
        return keycloak.realm(realm);
    }

    /** A write without a result (most Admin API writes answer 204). */
    private void write(String what, Runnable call) {
        write(what, () -> {
            call.run();
            return null;
        });
    }

    private <T> T write(String what, Supplier<T> call) {
        if (writes.get() >= budget) {
            throw new WriteBudgetExhausted(what);
        }
        writes.incrementAndGet();
        return call(what, call);
    }

    private static <T> T read(String what, Supplier<T> call) {
        return call(what, call);
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            throw new ProvisioningException(what + ": Keycloak answered HTTP " + e.getResponse().getStatus()
                    + answer(e.getResponse()), e);
        } catch (jakarta.ws.rs.ProcessingException e) {
            // The admin client gets its token inside the call: a refused login surfaces here as a bare
            // "HTTP 400/401", a stopped Keycloak as a ConnectException. Say which one, in words.
            if (e.getCause() instanceof WebApplicationException refused) {
                throw new ProvisioningException(what + ": Keycloak refused the admin login (HTTP "
                        + refused.getResponse().getStatus() + "); check KEYCLOAK_ADMIN_USER/KEYCLOAK_ADMIN_PASSWORD "
                        + "or KEYCLOAK_ADMIN_CLIENT_ID/KEYCLOAK_ADMIN_CLIENT_SECRET and KEYCLOAK_ADMIN_REALM", e);
            }
            throw new ProvisioningException(what + ": could not connect to Keycloak: " + e.getMessage(), e);
        }
    }

    private static String answer(Response response) {
        try {
            String body = response.readEntity(String.class);
            return body == null || body.isBlank() ? "" : " " + body.substring(0, Math.min(300, body.length()));
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The id of a created object: the last path segment of {@code Location}. */
    private static String created(Response response) {
        try (response) {
            check(response);
            String location = response.getHeaderString("Location");
            return location == null ? "" : location.substring(location.lastIndexOf('/') + 1);
        }
    }

    private static void check(Response response) {
        if (response.getStatus() >= 300) {
            throw new WebApplicationException(response);
        }
    }

    static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static Map<String, String> mutable(Map<String, String> map) {
        return map == null ? new java.util.HashMap<>() : new java.util.HashMap<>(map);
    }

    /** Thrown instead of a write once the budget set by {@link #writeBudget} is used up. */
    static final class WriteBudgetExhausted extends ProvisioningException {
        WriteBudgetExhausted(String what) {
            super("write budget exhausted before: " + what);
        }
    }
}
