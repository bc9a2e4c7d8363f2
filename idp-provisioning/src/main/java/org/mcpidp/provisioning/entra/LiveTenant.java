package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * One read of everything a tenant's plan depends on (reads only, taken once per plan).
 *
 * @param apps              the spec's app registrations that exist, by spec client id
 * @param ownedApps         every app registration tagged for this tenant (candidates for deletion)
 * @param servicePrincipals service principals of existing spec apps, by spec client id
 * @param assignments       app role assignments on the API's service principal ({@code appRoleAssignedTo})
 * @param grants            delegated permission grants to the API's service principal
 * @param downstreamGrants  delegated permission grants to each existing downstream API's service principal, by its
 *                          spec client id
 */
record LiveTenant(Map<String, JsonNode> apps, List<JsonNode> ownedApps, Map<String, JsonNode> servicePrincipals,
                  List<JsonNode> assignments, List<JsonNode> grants, Map<String, List<JsonNode>> downstreamGrants) {

    static LiveTenant read(GraphGateway graph, TenantSpec spec) {
        String realm = spec.realm();
        Map<String, JsonNode> apps = new HashMap<>();
        Map<String, JsonNode> sps = new HashMap<>();
        for (DesiredApp app : DesiredApp.all(spec)) {
            graph.find("read application " + app.clientId(), Graph.application(graph, app.uniqueName(realm)))
                    .ifPresent(found -> {
                        apps.put(app.clientId(), found);
                        graph.find("read service principal of " + app.clientId(),
                                Graph.servicePrincipal(graph, found.path("appId").asText()))
                                .ifPresent(sp -> sps.put(app.clientId(), sp));
                    });
        }
        List<JsonNode> owned = graph.list("list applications of tenant " + realm, Graph.ownedApplications(graph, realm));
        JsonNode apiSp = sps.get(spec.resource().clientId());
        List<JsonNode> assignments = apiSp == null ? List.of()
                : graph.list("list app role assignments", Graph.assignedTo(graph, apiSp.path("id").asText()));
        List<JsonNode> grants = apiSp == null ? List.of()
                : graph.list("list permission grants", Graph.grantsTo(graph, apiSp.path("id").asText()));
        Map<String, List<JsonNode>> downstreamGrants = new HashMap<>();
        spec.downstream().forEach(d -> Optional.ofNullable(sps.get(d.clientId())).ifPresent(sp -> downstreamGrants.put(
                d.clientId(), graph.list("list permission grants to " + d.clientId(), Graph.grantsTo(graph, sp.path("id").asText())))));
        return new LiveTenant(Map.copyOf(apps), List.copyOf(owned), Map.copyOf(sps), List.copyOf(assignments), List.copyOf(grants),
                Map.copyOf(downstreamGrants));
    }

    Optional<JsonNode> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId));
    }

    Optional<JsonNode> servicePrincipal(String clientId) {
        return Optional.ofNullable(servicePrincipals.get(clientId));
    }
}
