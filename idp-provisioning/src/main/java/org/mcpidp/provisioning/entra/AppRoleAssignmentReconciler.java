package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * App roles granted to agents ({@code appRoleAssignedTo} on the API's service principal): the twin of each of the
 * agent's scopes, each of its roles and each role those include (app roles have no composites), so its
 * client-credentials token carries them in {@code roles}. This is the admin consent of application permissions. Named
 * {@code "<clientId>: <value>"} in plans. Only assignments of this tenant's app roles to the spec's agents are ever
 * removed; those of an agent that leaves the spec go with its app.
 */
final class AppRoleAssignmentReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.APP_ROLE_ASSIGNMENT;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (ClientSpec agent : agents(spec)) {
            wanted(spec, agent).values().forEach(value -> {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("principal", agent.clientId());
                fields.put("appRole", value);
                wanted.put(name(agent.clientId(), value), fields);
            });
        }
        return wanted;
    }

    /** Never compared: an assignment exists or not. */
    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String name,
                                                    Map<String, String> desired) {
        for (ClientSpec agent : agents(spec)) {
            for (Map.Entry<String, String> role : wanted(spec, agent).entrySet()) {
                if (name(agent.clientId(), role.getValue()).equals(name)) {
                    return assigned(live, agent).contains(role.getKey()) ? Optional.of(desired) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Assignments of this tenant's app roles to the spec's agents that they should no longer hold. */
    @Override
    protected Stream<String> orphans(TenantSpec spec, LiveTenant live, Set<String> wantedNames) {
        Map<String, String> ownedRoleValues = ownedRoleValues(spec, live.app(spec.resource().clientId()));
        List<String> orphans = new ArrayList<>();
        for (ClientSpec agent : agents(spec)) {
            Map<String, String> wanted = wanted(spec, agent);
            for (String roleId : assigned(live, agent)) {
                if (!wanted.containsKey(roleId) && ownedRoleValues.containsKey(roleId)) {
                    orphans.add(name(agent.clientId(), ownedRoleValues.get(roleId)));
                }
            }
        }
        return orphans.stream();
    }

    /** App role ids assigned to the agent's service principal (none when it has none yet). */
    private static Set<String> assigned(LiveTenant live, ClientSpec agent) {
        Set<String> assigned = new HashSet<>();
        live.servicePrincipal(agent.clientId()).map(sp -> sp.path("id").asText())
                .ifPresent(p -> live.assignments().stream()
                        .filter(a -> a.path("principalId").asText().equals(p))
                        .forEach(a -> assigned.add(a.path("appRoleId").asText())));
        return assigned;
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        int colon = change.name().indexOf(": ");
        String clientId = change.name().substring(0, colon);
        String value = change.name().substring(colon + 2);
        String principal = context.servicePrincipal(clientId).path("id").asText();
        String resource = context.servicePrincipal(spec.resource().clientId()).path("id").asText();
        String what = "app role assignment " + change.name();
        if (change instanceof Change.Create) {
            ClientSpec agent = spec.client(clientId).orElseThrow();
            String roleId = wanted(spec, agent).entrySet().stream().filter(e -> e.getValue().equals(value))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            ObjectNode body = GraphGateway.object();
            body.put("principalId", principal);
            body.put("resourceId", resource);
            body.put("appRoleId", roleId);
            graph.post(what, Graph.assignedTo(graph, resource), body);
            return;
        }
        Map<String, String> owned = ownedRoleValues(spec, Optional.of(context.apiApp()));
        JsonNode assignment = graph.list(what, Graph.assignedTo(graph, resource)).stream()
                .filter(a -> a.path("principalId").asText().equals(principal)
                        && value.equals(owned.get(a.path("appRoleId").asText())))
                .findFirst()
                .orElseThrow(() -> new ProvisioningException(what + ": not found"));
        graph.delete(what, Graph.assignment(graph, resource, assignment.path("id").asText()));
    }

    private static List<ClientSpec> agents(TenantSpec spec) {
        return spec.clients().stream().filter(c -> c.type() == ClientSpec.Type.AGENT).toList();
    }

    /**
     * App role id -> value the agent should hold: its open scopes, its role-gated scopes only when it holds one of
     * their roles (as Keycloak decides for a service account), and its roles.
     */
    private static Map<String, String> wanted(TenantSpec spec, ClientSpec agent) {
        Map<String, String> wanted = new LinkedHashMap<>();
        agentScopes(spec, agent).forEach(s -> wanted.put(EntraNames.scopeRoleId(spec.realm(), s).toString(), s));
        // Entra app roles have no composites: each role the agent's roles include is assigned on its own.
        spec.effectiveRoles(agent.roles()).forEach(r -> wanted.put(EntraNames.roleId(spec.realm(), r).toString(), r));
        return wanted;
    }

    /** The agent's scopes it may hold: open ones, and gated ones whose roles it holds (included ones count). */
    static List<String> agentScopes(TenantSpec spec, ClientSpec agent) {
        List<String> held = spec.effectiveRoles(agent.roles());
        return agent.scopes().stream()
                .filter(s -> spec.scope(s).map(scope -> !scope.gated()
                        || scope.roles().stream().anyMatch(held::contains)).orElse(false))
                .toList();
    }

    /** Id -> value of every app role this tool made on the API (live) or will make (spec). */
    private static Map<String, String> ownedRoleValues(TenantSpec spec, Optional<JsonNode> api) {
        Map<String, String> owned = new HashMap<>();
        api.ifPresent(a -> a.path("appRoles").forEach(r -> {
            if (EntraOwnership.ownsAppRole(spec.realm(), r)) {
                owned.put(r.path("id").asText(), r.path("value").asText());
            }
        }));
        AppRoleReconciler.desired(spec).forEach((value, role) -> owned.put(role.path("id").asText(), value));
        return owned;
    }

    private static String name(String clientId, String value) {
        return clientId + ": " + value;
    }
}
