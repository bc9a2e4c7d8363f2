package org.mcpidp.provisioning.keycloak;

import java.util.List;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * The realm's policies over clients, through the Admin REST API: client registration policies (components) and
 * client policies with their profiles, plus the server features some of them need. Everything else a tenant holds
 * is {@link KeycloakGateway}'s.
 */
final class PolicyGateway {

    private final AdminCalls calls;

    PolicyGateway(AdminCalls calls) {
        this.calls = calls;
    }

    /** The realm's client registration policies (anonymous and authenticated). */
    List<ComponentRepresentation> registrationPolicies(String realm) {
        return calls.read("read client registration policies", () -> calls.realm(realm).components()
                .query(null, RegistrationPolicyReconciler.POLICY_TYPE));
    }

    List<ClientProfileRepresentation> clientProfiles(String realm) {
        return calls.read("read client policy profiles", () -> KeycloakGateway.listOrEmpty(
                calls.realm(realm).clientPoliciesProfilesResource().getProfiles(false).getProfiles()));
    }

    List<ClientPolicyRepresentation> clientPolicies(String realm) {
        return calls.read("read client policies", () -> KeycloakGateway.listOrEmpty(
                calls.realm(realm).clientPoliciesPoliciesResource().getPolicies(false).getPolicies()));
    }

    /** Whether the server runs with a feature, e.g. {@code CIMD} ({@code kc.sh --features=cimd}). */
    boolean featureEnabled(String name) {
        return calls.read("read server info", () -> {
            var features = calls.keycloak().serverInfo().getInfo().getFeatures();
            return features != null && features.stream()
                    .anyMatch(f -> name.equalsIgnoreCase(f.getName()) && f.isEnabled());
        });
    }

    void updateComponent(String realm, ComponentRepresentation rep) {
        calls.write("update client registration policy " + rep.getName(), () -> calls.realm(realm).components().component(rep.getId()).update(rep));
    }

    void addComponent(String realm, ComponentRepresentation rep) {
        calls.write("add client registration policy " + rep.getName(), () -> AdminCalls.created(calls.realm(realm).components().add(rep)));
    }

    /** Replaces the realm's WHOLE list of client policy profiles (Keycloak has no per-profile endpoint). */
    void updateClientProfiles(String realm, List<ClientProfileRepresentation> profiles) {
        calls.write("update client policy profiles", () -> {
            ClientProfilesRepresentation rep = new ClientProfilesRepresentation();
            rep.setProfiles(profiles);
            calls.realm(realm).clientPoliciesProfilesResource().updateProfiles(rep);
        });
    }

    /** Replaces the realm's WHOLE list of client policies. */
    void updateClientPolicies(String realm, List<ClientPolicyRepresentation> policies) {
        calls.write("update client policies", () -> {
            ClientPoliciesRepresentation rep = new ClientPoliciesRepresentation();
            rep.setPolicies(policies);
            calls.realm(realm).clientPoliciesPoliciesResource().updatePolicies(rep);
        });
    }
}
