package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.ResourceSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * With several MCP servers: one token is for one server. Each scope's audience mappers put its server into
 * {@code aud}, so a request for scopes of two servers would give a token both accept (and Keycloak's introspection
 * answer re-adds every audience even where resource indicators narrowed the JWT's, seen on 26.7.3). A client policy per
 * server, {@code mcpidp-one-server:<client id>}, with two {@code client-scopes} conditions (type {@code Any}: the
 * request asks for, or the client has by default, a scope of this server, AND a scope of any other server) applies
 * the profile {@value #PROFILE}, whose {@code reject-request} executor answers 400 {@code invalid_request} "Request not
 * allowed" to authorization and token requests. Keycloak ANDs a policy's conditions; one policy per server covers
 * every pair. The profile is written with the first policy and removed with the last.
 */
final class OneServerPolicyReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    static final String PROFILE = "mcpidp-one-server";
    static final String PREFIX = PROFILE + ":";
    static final String EXECUTOR = "reject-request";
    static final String CONDITION = "client-scopes";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ResourceType type() {
        return ResourceType.CLIENT_POLICY;
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && change.name().startsWith(PREFIX);
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        wanted(spec).forEach(policy -> wanted.put(policy.getName(), fields(policy, true)));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        boolean profile = live.clientProfiles().stream().anyMatch(p -> ours(p.getName(), p.getDescription(), spec));
        return live.clientPolicies().stream().filter(p -> name.equals(p.getName()) && ours(p.getName(), p.getDescription(), spec))
                .findFirst().map(p -> fields(p, profile));
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return live.clientPolicies().stream().filter(p -> p.getName() != null && p.getName().startsWith(PREFIX)
                && ours(p.getName(), p.getDescription(), spec)).map(ClientPolicyRepresentation::getName);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        List<ClientProfileRepresentation> profiles = new ArrayList<>(gateway.policies().clientProfiles(realm));
        List<ClientPolicyRepresentation> policies = new ArrayList<>(gateway.policies().clientPolicies(realm));
        policies.removeIf(p -> change.name().equals(p.getName()) && ours(p.getName(), p.getDescription(), spec));
        boolean hasProfile = profiles.stream().anyMatch(p -> ours(p.getName(), p.getDescription(), spec));
        if (change instanceof Change.Delete) {
            gateway.policies().updateClientPolicies(realm, policies);
            boolean last = policies.stream().noneMatch(p -> p.getName() != null && p.getName().startsWith(PREFIX)
                    && ours(p.getName(), p.getDescription(), spec));
            if (last && hasProfile) {
                profiles.removeIf(p -> ours(p.getName(), p.getDescription(), spec));
                gateway.policies().updateClientProfiles(realm, profiles);
            }
            return;
        }
        if (!hasProfile) {
            // Profile first: a policy naming a missing profile is refused.
            profiles.add(profile(spec.realm()));
            gateway.policies().updateClientProfiles(realm, profiles);
        }
        policies.add(wanted(spec).stream().filter(p -> p.getName().equals(change.name())).findFirst().orElseThrow());
        gateway.policies().updateClientPolicies(realm, policies);
    }

    /** The policies a spec wants: none for one server, one per server for several. */
    static List<ClientPolicyRepresentation> wanted(TenantSpec spec) {
        if (spec.servers().size() < 2) {
            return List.of();
        }
        List<ClientPolicyRepresentation> wanted = new ArrayList<>();
        for (ResourceSpec server : spec.servers()) {
            List<String> others = spec.servers().stream().filter(s -> s != server)
                    .flatMap(s -> s.scopes().stream()).toList();
            ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
            policy.setName(PREFIX + server.clientId());
            policy.setDescription(Ownership.descriptionPrefix(spec.realm()) + "(a token is for one MCP server: "
                    + "refuses a request for scopes of " + server.clientId() + " and of another server)");
            policy.setEnabled(true);
            policy.setConditions(List.of(condition(server.scopes()), condition(others)));
            policy.setProfiles(List.of(PROFILE));
            wanted.add(policy);
        }
        return wanted;
    }

    static ClientProfileRepresentation profile(String realm) {
        ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
        executor.setExecutorProviderId(EXECUTOR);
        executor.setConfiguration(JSON.createObjectNode());
        ClientProfileRepresentation profile = new ClientProfileRepresentation();
        profile.setName(PROFILE);
        profile.setDescription(Ownership.descriptionPrefix(realm) + "(refuses the request: used by the "
                + "one-server-per-token policies)");
        profile.setExecutors(List.of(executor));
        return profile;
    }

    private static ClientPolicyConditionRepresentation condition(List<String> scopes) {
        ObjectNode config = JSON.createObjectNode();
        config.put("is-negative-logic", false);
        config.put("type", "Any");
        scopes.forEach(config.putArray("scopes")::add);
        ClientPolicyConditionRepresentation condition = new ClientPolicyConditionRepresentation();
        condition.setConditionProviderId(CONDITION);
        condition.setConfiguration(config);
        return condition;
    }

    /** The managed fields: which scopes each condition names, whether it is on, what it applies. */
    private static Map<String, String> fields(ClientPolicyRepresentation policy, boolean profile) {
        List<ClientPolicyConditionRepresentation> conditions = KeycloakGateway.listOrEmpty(policy.getConditions());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("scopesOfThisServer", conditions.size() > 0 ? scopes(conditions.get(0)) : "");
        fields.put("scopesOfOtherServers", conditions.size() > 1 ? scopes(conditions.get(1)) : "");
        fields.put("conditions", FieldChange.list(conditions.stream()
                .map(c -> c.getConditionProviderId() + "/" + config(c).path("type").asText("")).toList()));
        fields.put("executor", profile ? EXECUTOR : "");
        OwnedClientPolicyReconciler.putPolicyFields(fields, policy);
        return fields;
    }

    private static String scopes(ClientPolicyConditionRepresentation condition) {
        return FieldChange.list(OwnedClientPolicyReconciler.strings(config(condition).path("scopes")));
    }

    private static JsonNode config(ClientPolicyConditionRepresentation condition) {
        return condition.getConfiguration() == null ? JSON.createObjectNode() : condition.getConfiguration();
    }

    private static boolean ours(String name, String description, TenantSpec spec) {
        return name != null && name.startsWith(PROFILE) && Ownership.ownedDescription(description, spec.realm());
    }
}
