package org.mcpidp.provisioning.keycloak;

import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.SecretSink;

/**
 * What a change needs while it executes. Ids are looked up fresh (reads are free; only writes are counted), because
 * objects created earlier in the same apply were not in the plan's snapshot.
 *
 * @param scheme how tokens get their audience, read from the server when the apply starts
 */
record ApplyContext(KeycloakGateway gateway, String realm, SecretSink secrets, AudienceScheme scheme) {

    ClientScopeRepresentation scope(String name) {
        return gateway.clientScopes(realm).stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new ProvisioningException("client scope " + name + " not found in realm " + realm));
    }

    ClientRepresentation client(String clientId) {
        return gateway.clients(realm).stream().filter(c -> c.getClientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new ProvisioningException("client " + clientId + " not found in realm " + realm));
    }
}
