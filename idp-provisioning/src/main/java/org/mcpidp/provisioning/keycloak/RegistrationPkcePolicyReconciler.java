package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * With RFC 7591 dynamic registration on: PKCE with S256 for every client that registers itself. A client policy profile
 * with the {@code pkce-enforcer} executor ({@code auto-configure}) and a policy applying it through the
 * {@code client-updater-context} condition to clients registered anonymously or updated with their registration access
 * token, both named {@value #NAME}.
 *
 * <p>Seen on 26.7.3: such a client is stored with {@code pkce.code.challenge.method=S256}, which Keycloak then enforces
 * on each of its authorization requests (no {@code code_challenge}, or {@code plain}: {@code error=invalid_request});
 * an update through its registration access token cannot remove it (the executor sets it again). The condition
 * abstains on every other event, so clients an administrator makes are not touched (a {@code client-access-type}
 * condition would not abstain: it would enforce PKCE on the authorization requests of every public client of the
 * realm). Confidential self-registered clients get S256 too: MCP requires PKCE of every client.
 */
final class RegistrationPkcePolicyReconciler extends OwnedClientPolicyReconciler {

    static final String NAME = "mcpidp-registered-clients-pkce";
    static final String EXECUTOR = "pkce-enforcer";
    static final String CONDITION = "client-updater-context";
    static final List<String> SOURCES = List.of("ByAnonymous", "ByRegistrationAccessToken");
    private static final ObjectMapper JSON = new ObjectMapper();

    RegistrationPkcePolicyReconciler() {
        super(NAME);
    }

    @Override
    Optional<Pair> wanted(TenantSpec spec) {
        if (spec.registration().dynamic().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode executor = JSON.createObjectNode().put("auto-configure", true);
        ObjectNode condition = JSON.createObjectNode().put("is-negative-logic", false);
        SOURCES.forEach(condition.putArray("update-client-source")::add);
        return Optional.of(pair(NAME, description(spec.realm()), EXECUTOR, executor, CONDITION, condition));
    }

    static String description(String realm) {
        return Ownership.descriptionPrefix(realm) + "(self-registered clients must use PKCE with S256)";
    }

    @Override
    Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        JsonNode executor = executorConfig(profile, EXECUTOR);
        JsonNode condition = conditionConfig(policy, CONDITION);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("executor", executorIfHeld(profile, EXECUTOR));
        fields.put("autoConfigure", Boolean.toString(bool(executor.path("auto-configure"))));
        fields.put("condition", conditionIfHeld(policy, CONDITION));
        fields.put("updateClientSource", FieldChange.list(strings(condition.path("update-client-source"))));
        fields.put("negativeLogic", Boolean.toString(bool(condition.path("is-negative-logic"))));
        putPolicyFields(fields, policy);
        return fields;
    }
}
