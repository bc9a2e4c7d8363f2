package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * With downstream APIs: a client policy profile with the {@code downscope-assertion-grant-enforcer} executor and a
 * policy applying it to every client ({@code any-client}), both named {@value #NAME}. The executor acts on token
 * exchange requests only: an exchange may then ask for no scope the subject token lacks (400 {@code invalid_scope}
 * "Scopes [x] not present in the initial access token"), so it can never widen a caller's rights. Seen on 26.7.3: a
 * {@code grant-type} condition naming the token-exchange grant does NOT trigger it; {@code any-client} does.
 */
final class ExchangePolicyReconciler extends OwnedClientPolicyReconciler {

    static final String NAME = "mcpidp-token-exchange-downscope";
    static final String EXECUTOR = "downscope-assertion-grant-enforcer";
    static final String CONDITION = "any-client";
    private static final ObjectMapper JSON = new ObjectMapper();

    ExchangePolicyReconciler() {
        super(NAME);
    }

    @Override
    Optional<Pair> wanted(TenantSpec spec) {
        return spec.downstream().isEmpty() ? Optional.empty() : Optional.of(pair(NAME, description(spec.realm()),
                EXECUTOR, JSON.createObjectNode(), CONDITION, JSON.createObjectNode().put("is-negative-logic", false)));
    }

    static String description(String realm) {
        return Ownership.descriptionPrefix(realm) + "(token exchange never widens a caller's scopes)";
    }

    @Override
    Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("executors", profile == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(profile.getExecutors())
                .stream().map(ClientPolicyExecutorRepresentation::getExecutorProviderId).toList()));
        fields.put("conditions", policy == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(policy.getConditions())
                .stream().map(ClientPolicyConditionRepresentation::getConditionProviderId).toList()));
        putPolicyFields(fields, policy);
        return fields;
    }
}
