package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.DownstreamScopeSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Admin consent for On-Behalf-Of: one {@code oauth2PermissionGrant} (consentType {@code AllPrincipals}) from the MCP
 * server's service principal to each downstream API's, listing all its scopes. Without it Entra answers the exchange
 * with AADSTS65001 ({@code consent_required}). Keyed by the downstream API's client id.
 *
 * <p>What Entra cannot do: a scope's {@code from} (which MCP scopes may exchange for it). Consent is per app, not per
 * incoming scope: every user token for the MCP API can be exchanged for every consented scope. The kit enforces
 * {@code from} in the MCP server before it asks (see README, "Entra ID: On-Behalf-Of").
 */
final class DownstreamGrantReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_GRANT;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            if (!api.scopes().isEmpty()) {
                Map<String, String> desired = new LinkedHashMap<>();
                desired.put("scope", scope(api));
                desired.put("consentType", PermissionGrantReconciler.ALL_PRINCIPALS);
                wanted.put(api.clientId(), desired);
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return grant(spec, live, clientId).map(grant -> {
            Map<String, String> current = new LinkedHashMap<>();
            current.put("scope", PermissionGrantReconciler.scope(Arrays.asList(grant.path("scope").asText("").trim().split("\\s+"))));
            current.put("consentType", PermissionGrantReconciler.ALL_PRINCIPALS);
            return current;
        });
    }

    /** Grants of downstream APIs still in the spec (one whose scopes all went loses its grant); Entra deletes the
     *  grants of an API that left the spec with its app. */
    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return spec.downstream().stream().map(DownstreamSpec::clientId).filter(c -> grant(spec, live, c).isPresent());
    }

    private static Optional<JsonNode> grant(TenantSpec spec, LiveTenant live, String clientId) {
        return live.servicePrincipal(spec.resource().clientId()).flatMap(mcp ->
                find(live.downstreamGrants().getOrDefault(clientId, List.of()), mcp.path("id").asText()));
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && spec.downstream(change.name()).isPresent();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        String mcpSp = context.servicePrincipal(spec.resource().clientId()).path("id").asText();
        String apiSp = context.servicePrincipal(change.name()).path("id").asText();
        String what = "admin consent for " + spec.resource().clientId() + " to " + change.name();
        DownstreamSpec api = spec.downstream(change.name()).orElseThrow();
        if (change instanceof Change.Create) {
            ObjectNode body = GraphGateway.object();
            body.put("clientId", mcpSp);
            body.put("consentType", PermissionGrantReconciler.ALL_PRINCIPALS);
            body.put("resourceId", apiSp);
            body.put("scope", scope(api));
            graph.post(what, Graph.grants(graph), body);
            return;
        }
        JsonNode grant = find(graph.list(what, Graph.grantsTo(graph, apiSp)), mcpSp)
                .orElseThrow(() -> new ProvisioningException(what + ": grant not found"));
        if (change instanceof Change.Delete) {
            graph.delete(what, Graph.grant(graph, grant.path("id").asText()));
        } else {
            ObjectNode body = GraphGateway.object();
            body.put("scope", scope(api));
            graph.patch(what, Graph.grant(graph, grant.path("id").asText()), body);
        }
    }

    private static String scope(DownstreamSpec api) {
        return PermissionGrantReconciler.scope(api.scopes().stream().map(DownstreamScopeSpec::name).toList());
    }

    private static Optional<JsonNode> find(List<JsonNode> grants, String clientSpId) {
        return grants.stream().filter(g -> g.path("clientId").asText().equals(clientSpId)
                && PermissionGrantReconciler.ALL_PRINCIPALS.equals(g.path("consentType").asText())).findFirst();
    }
}
