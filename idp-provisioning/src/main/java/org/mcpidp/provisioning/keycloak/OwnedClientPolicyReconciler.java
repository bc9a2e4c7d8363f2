package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
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
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * One Keycloak client policy and the profile it applies, both with the same name and marked as this tenant's in
 * their description ({@link Ownership#descriptionPrefix}); one object in plans. Subclasses say only what the pair
 * holds (one executor, one condition) and which of its fields plans compare. Keycloak keeps profiles and policies as one list each, written whole: every
 * write merges with what is there, so profiles and policies made by others stay.
 */
abstract class OwnedClientPolicyReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    /** The profile and the policy applying it, as written. */
    record Pair(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;

    OwnedClientPolicyReconciler(String name) {
        this.name = name;
    }

    /** The pair the spec wants, or empty when it wants none. */
    abstract Optional<Pair> wanted(TenantSpec spec);

    /** The managed fields of a pair, either half possibly missing (null) live. */
    abstract Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy);

    /**
     * Whether the pair holds a client-id-uri (Client ID Metadata Document) policy: a realm holding one answers every
     * authorization request with HTTP 500 on a Keycloak without the cimd feature, so such a pair is refused there.
     */
    boolean needsCimd() {
        return false;
    }

    /** What a refused {@link #needsCimd()} pair says: which spec field asked for it. */
    ProvisioningException cimdMissing(TenantSpec spec) {
        throw new IllegalStateException(name + " needs no cimd feature");
    }

    private void checkPlan(TenantSpec spec, LiveRealm live) {
        if (needsCimd() && !live.cimdFeature()) {
            throw cimdMissing(spec);
        }
    }

    /** Checked again right before writing: the server may have been restarted without the feature since the plan. */
    private void checkWrite(TenantSpec spec, KeycloakGateway gateway) {
        if (needsCimd() && !gateway.policies().featureEnabled(ClientPolicyReconciler.FEATURE)) {
            throw cimdMissing(spec);
        }
    }

    @Override
    public final ResourceType type() {
        return ResourceType.CLIENT_POLICY;
    }

    /** Only its own object: the other client policies the kit writes are other reconcilers'. */
    @Override
    public final boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && name.equals(change.name());
    }

    @Override
    protected final Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Optional<Pair> wanted = wanted(spec);
        if (wanted.isEmpty()) {
            return Map.of();
        }
        checkPlan(spec, live);
        return Map.of(name, fields(wanted.get().profile(), wanted.get().policy()));
    }

    @Override
    protected final Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String key,
                                                          Map<String, String> desired) {
        Optional<ClientProfileRepresentation> profile = live.clientProfiles().stream()
                .filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
        Optional<ClientPolicyRepresentation> policy = live.clientPolicies().stream()
                .filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
        return profile.isEmpty() && policy.isEmpty() ? Optional.empty()
                : Optional.of(fields(profile.orElse(null), policy.orElse(null)));
    }

    @Override
    protected final Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return current(spec, live, name, Map.of()).isPresent() ? Stream.of(name) : Stream.empty();
    }

    @Override
    public final void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        List<ClientProfileRepresentation> profiles = new ArrayList<>(gateway.policies().clientProfiles(realm));
        List<ClientPolicyRepresentation> policies = new ArrayList<>(gateway.policies().clientPolicies(realm));
        boolean hadPolicy = policies.removeIf(p -> ours(p.getName(), p.getDescription(), spec.realm()));
        boolean hadProfile = profiles.removeIf(p -> ours(p.getName(), p.getDescription(), spec.realm()));
        if (change instanceof Change.Delete) {
            // Policy first: a policy naming a missing profile is refused.
            if (hadPolicy) {
                gateway.policies().updateClientPolicies(realm, policies);
            }
            if (hadProfile) {
                gateway.policies().updateClientProfiles(realm, profiles);
            }
            return;
        }
        checkWrite(spec, gateway);
        Pair pair = wanted(spec).orElseThrow();
        profiles.add(pair.profile());
        policies.add(pair.policy());
        // Profile first: a policy naming a missing profile is refused.
        gateway.policies().updateClientProfiles(realm, profiles);
        gateway.policies().updateClientPolicies(realm, policies);
    }

    /** The fields every pair shares: whether its policy is on, and which profiles it applies. */
    static void putPolicyFields(Map<String, String> fields, ClientPolicyRepresentation policy) {
        fields.put("policyEnabled", Boolean.toString(policy != null && !Boolean.FALSE.equals(policy.isEnabled())));
        fields.put("policyProfiles", policy == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(policy.getProfiles())));
    }

    private boolean ours(String liveName, String description, String realm) {
        return name.equals(liveName) && Ownership.ownedDescription(description, realm);
    }

    /** A pair named {@code name}: a profile with one executor, and an enabled policy with one condition applying it. */
    static Pair pair(String name, String description, String executor, ObjectNode executorConfig, String condition,
                     ObjectNode conditionConfig) {
        ClientPolicyExecutorRepresentation executorRep = new ClientPolicyExecutorRepresentation();
        executorRep.setExecutorProviderId(executor);
        executorRep.setConfiguration(executorConfig);
        ClientProfileRepresentation profile = new ClientProfileRepresentation();
        profile.setName(name);
        profile.setDescription(description);
        profile.setExecutors(List.of(executorRep));
        ClientPolicyConditionRepresentation conditionRep = new ClientPolicyConditionRepresentation();
        conditionRep.setConditionProviderId(condition);
        conditionRep.setConfiguration(conditionConfig);
        ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
        policy.setName(name);
        policy.setDescription(description);
        policy.setEnabled(true);
        policy.setConditions(List.of(conditionRep));
        policy.setProfiles(List.of(name));
        return new Pair(profile, policy);
    }

    /** Keycloak stores booleans as JSON booleans or as strings, depending on who wrote them. */
    static boolean bool(JsonNode node) {
        return node.isBoolean() ? node.asBoolean() : "true".equalsIgnoreCase(node.asText(""));
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (node.isTextual() && !node.asText().isEmpty()) {
            values.add(node.asText());
        }
        return values;
    }

    /** The configuration of the profile's first {@code executor}, empty when there is none. */
    static JsonNode executorConfig(ClientProfileRepresentation profile, String executor) {
        return profile == null ? JSON.createObjectNode() : KeycloakGateway.listOrEmpty(profile.getExecutors()).stream()
                .filter(e -> executor.equals(e.getExecutorProviderId())).map(ClientPolicyExecutorRepresentation::getConfiguration)
                .filter(c -> c != null).map(c -> (JsonNode) c).findFirst().orElse(JSON.createObjectNode());
    }

    /** The configuration of the policy's first {@code condition}, empty when there is none. */
    static JsonNode conditionConfig(ClientPolicyRepresentation policy, String condition) {
        return policy == null ? JSON.createObjectNode() : KeycloakGateway.listOrEmpty(policy.getConditions()).stream()
                .filter(c -> condition.equals(c.getConditionProviderId())).map(ClientPolicyConditionRepresentation::getConfiguration)
                .filter(c -> c != null).map(c -> (JsonNode) c).findFirst().orElse(JSON.createObjectNode());
    }

    /** {@code executor} when the profile holds it, else "" (a plan shows it missing). */
    static String executorIfHeld(ClientProfileRepresentation profile, String executor) {
        return profile != null && KeycloakGateway.listOrEmpty(profile.getExecutors()).stream()
                .anyMatch(e -> executor.equals(e.getExecutorProviderId())) ? executor : "";
    }

    /** {@code condition} when the policy holds it, else "" (a plan shows it missing). */
    static String conditionIfHeld(ClientPolicyRepresentation policy, String condition) {
        return policy != null && KeycloakGateway.listOrEmpty(policy.getConditions()).stream()
                .anyMatch(c -> condition.equals(c.getConditionProviderId())) ? condition : "";
    }

    /** The switches of a Client ID Metadata Document executor, the same for the realm's policy and every profile's. */
    static void putCimdSwitches(Map<String, String> fields, JsonNode executor) {
        fields.put("allowHttpScheme", Boolean.toString(bool(executor.path("cimd-allow-http-scheme"))));
        fields.put("restrictSameDomain", Boolean.toString(bool(executor.path("cimd-restrict-same-domain"))));
        fields.put("onlyConfidentialClients", Boolean.toString(bool(executor.path("only-allow-confidential-client"))));
    }
}
