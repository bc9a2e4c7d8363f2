package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.RegistrationSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * OAuth Client ID Metadata Documents, an EXPERIMENTAL feature of Keycloak 26.7.3 ({@code kc.sh --features=cimd}): a
 * client policy profile with the {@code client-id-metadata-document} executor and a client policy with the
 * {@code client-id-uri} condition, both named {@value #NAME} and marked as this tenant's in their description. One
 * object in plans. Keycloak keeps profiles and policies as one list each, written whole: every write merges with what
 * is there, so profiles and policies made by others stay.
 *
 * <p>Refuses (plan and apply) when the server runs without the feature: a realm holding a {@code client-id-uri} policy
 * then answers EVERY authorization request with HTTP 500 (seen on 26.7.3), i.e. writing it would lock out everyone.
 */
final class ClientPolicyReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    static final String NAME = "mcpidp-client-id-metadata-document";
    static final String FEATURE = "CIMD";
    static final String EXECUTOR = "client-id-metadata-document";
    static final String CONDITION = "client-id-uri";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ResourceType type() {
        return ResourceType.CLIENT_POLICY;
    }

    /** Only its own object: the token-exchange downscope policy is ExchangePolicyReconciler's. */
    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && NAME.equals(change.name());
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Optional<RegistrationSpec.ClientIdMetadataDocuments> cimd = spec.registration().clientIdMetadataDocuments();
        if (cimd.isEmpty()) {
            return Map.of();
        }
        if (!live.cimdFeature()) {
            throw featureMissing(spec);
        }
        return Map.of(NAME, fields(profile(spec, cimd.get()), policy(spec, cimd.get())));
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

    private static Optional<ClientProfileRepresentation> profile(TenantSpec spec, LiveRealm live) {
        return live.clientProfiles().stream().filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
    }

    private static Optional<ClientPolicyRepresentation> policy(TenantSpec spec, LiveRealm live) {
        return live.clientPolicies().stream().filter(p -> ours(p.getName(), p.getDescription(), spec.realm())).findFirst();
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
        // Checked again right before writing: the server may have been restarted without the feature since the plan.
        if (!gateway.featureEnabled(FEATURE)) {
            throw featureMissing(spec);
        }
        RegistrationSpec.ClientIdMetadataDocuments cimd = spec.registration().clientIdMetadataDocuments().orElseThrow();
        profiles.add(profile(spec, cimd));
        policies.add(policy(spec, cimd));
        gateway.updateClientProfiles(realm, profiles);
        gateway.updateClientPolicies(realm, policies);
    }

    static ProvisioningException featureMissing(TenantSpec spec) {
        return new ProvisioningException("realm " + spec.realm() + ": registration.clientIdMetadataDocuments needs "
                + "Keycloak's EXPERIMENTAL feature cimd (start it with kc.sh --features=cimd), and this server runs without "
                + "it; refusing to write the client-id-uri policy, because a realm holding one answers every "
                + "authorization request with HTTP 500 on such a server. Nothing was changed.");
    }

    static String description(String realm) {
        return "mcpidp.managed-by=" + realm + " (Client ID Metadata Documents, EXPERIMENTAL in Keycloak 26.7.3)";
    }

    private static boolean ours(String name, String description, String realm) {
        return NAME.equals(name) && description != null && description.startsWith("mcpidp.managed-by=" + realm + " ");
    }

    static ClientProfileRepresentation profile(TenantSpec spec, RegistrationSpec.ClientIdMetadataDocuments cimd) {
        ObjectNode config = JSON.createObjectNode();
        config.put("cimd-allow-http-scheme", false);
        ArrayNode domains = config.putArray("cimd-allow-permitted-domains");
        cimd.allowedDomains().forEach(domains::add);
        config.put("cimd-restrict-same-domain", false);
        config.putArray("cimd-required-properties");
        config.put("only-allow-confidential-client", false);
        ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
        executor.setExecutorProviderId(EXECUTOR);
        executor.setConfiguration(config);
        ClientProfileRepresentation profile = new ClientProfileRepresentation();
        profile.setName(NAME);
        profile.setDescription(description(spec.realm()));
        profile.setExecutors(List.of(executor));
        return profile;
    }

    static ClientPolicyRepresentation policy(TenantSpec spec, RegistrationSpec.ClientIdMetadataDocuments cimd) {
        ObjectNode config = JSON.createObjectNode();
        config.put("is-negative-logic", false);
        config.putArray("client-id-uri-scheme").add("https");
        ArrayNode domains = config.putArray("client-id-uri-allow-permitted-domains");
        cimd.allowedDomains().forEach(domains::add);
        ClientPolicyConditionRepresentation condition = new ClientPolicyConditionRepresentation();
        condition.setConditionProviderId(CONDITION);
        condition.setConfiguration(config);
        ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
        policy.setName(NAME);
        policy.setDescription(description(spec.realm()));
        policy.setEnabled(true);
        policy.setConditions(List.of(condition));
        policy.setProfiles(List.of(NAME));
        return policy;
    }

    private static Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        JsonNode executor = profile == null ? JSON.createObjectNode() : KeycloakGateway.listOrEmpty(profile.getExecutors())
                .stream().filter(e -> EXECUTOR.equals(e.getExecutorProviderId())).map(e -> e.getConfiguration())
                .filter(c -> c != null).findFirst().orElse(JSON.createObjectNode());
        JsonNode condition = policy == null ? JSON.createObjectNode() : KeycloakGateway.listOrEmpty(policy.getConditions())
                .stream().filter(c -> CONDITION.equals(c.getConditionProviderId())).map(c -> c.getConfiguration())
                .filter(c -> c != null).findFirst().orElse(JSON.createObjectNode());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("experimental", "Keycloak feature cimd");
        fields.put("allowedDomains", FieldChange.list(strings(executor.path("cimd-allow-permitted-domains"))));
        fields.put("allowHttpScheme", Boolean.toString(bool(executor.path("cimd-allow-http-scheme"))));
        fields.put("restrictSameDomain", Boolean.toString(bool(executor.path("cimd-restrict-same-domain"))));
        fields.put("onlyConfidentialClients", Boolean.toString(bool(executor.path("only-allow-confidential-client"))));
        fields.put("clientIdUriScheme", FieldChange.list(strings(condition.path("client-id-uri-scheme"))));
        fields.put("clientIdUriDomains", FieldChange.list(strings(condition.path("client-id-uri-allow-permitted-domains"))));
        fields.put("policyEnabled", Boolean.toString(policy != null && !Boolean.FALSE.equals(policy.isEnabled())));
        fields.put("policyProfiles", policy == null ? "" : FieldChange.list(KeycloakGateway.listOrEmpty(policy.getProfiles())));
        return fields;
    }

    /** Keycloak stores booleans as JSON booleans or as strings, depending on who wrote them. */
    private static boolean bool(JsonNode node) {
        return node.isBoolean() ? node.asBoolean() : "true".equalsIgnoreCase(node.asText(""));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (node.isTextual() && !node.asText().isEmpty()) {
            values.add(node.asText());
        }
        return values;
    }
}
