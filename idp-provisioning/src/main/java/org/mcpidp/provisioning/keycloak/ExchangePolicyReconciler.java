package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * With downstream APIs: a client policy profile with the {@code downscope-assertion-grant-enforcer} executor and a
 * policy applying it to every client ({@code any-client}), both named {@value #NAME}. The executor acts on token
 * exchange requests only: an exchange may then ask for no scope the subject token lacks (400 {@code invalid_scope}
 * "Scopes [x] not present in the initial access token"), so it can never widen a caller's rights. Seen on 26.7.3: a
 * {@code grant-type} condition naming the token-exchange grant does NOT trigger it; {@code any-client} does.
 * Keycloak keeps profiles and policies as one list each: writes merge, others' entries stay.
 */
final class ExchangePolicyReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    static final String NAME = "mcpidp-token-exchange-downscope";
    static final String EXECUTOR = "downscope-assertion-grant-enforcer";
    static final String CONDITION = "any-client";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ResourceType type() {
        return ResourceType.CLIENT_POLICY;
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && NAME.equals(change.name());
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        return spec.downstream().isEmpty() ? Map.of() : Map.of(NAME, fields(profile(spec), policy(spec)));
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        Optional<ClientProfileRepresentation> profile = profile(spec, live);
        Optional<ClientPolicyRepresentation> policy = policy(spec, live);
        return profile.isEmpty() && policy.isEmpty() ? Optional.empty()
                : Optional.of(fields(profile.orElse(null), policy.orElse(null)));
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return profile(spec, live).isPresent() || policy(spec, live).isPresent() ? Stream.of(NAME) : Stream.empty();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        List<ClientProfileRepresentation> profiles = new ArrayList<>(gateway.clientProfiles(realm));
        List<ClientPolicyRepresentation> policies = new ArrayList<>(gateway.clientPolicies(realm));
        boolean hadPolicy = policies.removeIf(p -> ours(p.getName(), p.getDescription(), spec.realm()));
        boolean hadProfile = profiles.removeIf(p -> ours(p.getName(), p.getDescription(), spec.realm()));
        if (change instanceof Change.Delete) {
            // Policy first: a policy naming a missing profile is refused.
            if (hadPolicy) {
                gateway.updateClientPolicies(realm, policies);
            }
            if (hadProfile) {
                gateway.updateClientProfiles(realm, profiles);
            }
            return;
        }
        profiles.add(profile(spec));
        policies.add(policy(spec));
        gateway.updateClientProfiles(realm, profiles);
        gateway.updateClientPolicies(realm, policies);
    }

    private static Optional<ClientProfileRepresentation> profile(TenantSpec spec, LiveRealm live) {
        return live.clientProfiles().stream().filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
    }

    private static Optional<ClientPolicyRepresentation> policy(TenantSpec spec, LiveRealm live) {
        return live.clientPolicies().stream().filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
    }

    static String description(String realm) {
        return "mcpidp.managed-by=" + realm + " (token exchange never widens a caller's scopes)";
    }

    private static boolean ours(String name, String description, String realm) {
        return NAME.equals(name) && description != null && description.startsWith("mcpidp.managed-by=" + realm + " ");
    }

    static ClientProfileRepresentation profile(TenantSpec spec) {
        ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
        executor.setExecutorProviderId(EXECUTOR);
        executor.setConfiguration(JSON.createObjectNode());
        ClientProfileRepresentation profile = new ClientProfileRepresentation();
        profile.setName(NAME);
        profile.setDescription(description(spec.realm()));
        profile.setExecutors(List.of(executor));
        return profile;
    }

    static ClientPolicyRepresentation policy(TenantSpec spec) {
        ClientPolicyConditionRepresentation condition = new ClientPolicyConditionRepresentation();
        condition.setConditionProviderId(CONDITION);
        condition.setConfiguration(JSON.createObjectNode().put("is-negative-logic", false));
        ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
        policy.setName(NAME);
        policy.setDescription(description(spec.realm()));
        policy.setEnabled(true);
        policy.setConditions(List.of(condition));
        policy.setProfiles(List.of(NAME));
        return policy;
    }

    private static Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("executors", profile == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(profile.getExecutors())
                .stream().map(ClientPolicyExecutorRepresentation::getExecutorProviderId).toList()));
        fields.put("conditions", policy == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(policy.getConditions())
                .stream().map(ClientPolicyConditionRepresentation::getConditionProviderId).toList()));
        fields.put("policyEnabled", Boolean.toString(policy != null && !Boolean.FALSE.equals(policy.isEnabled())));
        fields.put("policyProfiles", policy == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(policy.getProfiles())));
        return fields;
    }
}
