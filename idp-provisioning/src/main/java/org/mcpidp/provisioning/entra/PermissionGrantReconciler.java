package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Admin consent for interactive clients: one {@code oauth2PermissionGrant} (consentType {@code AllPrincipals}) from the
 * client's service principal to the API's, listing the client's spec scopes. Without it every user would be asked to
 * consent (or could not, where user consent is off). Agents need none: their app roles are assigned instead.
 */
final class PermissionGrantReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    static final String ALL_PRINCIPALS = "AllPrincipals";

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_GRANT;
    }

    /** Only interactive clients with delegated scopes get a grant; one whose scopes all went loses it. */
    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (ClientSpec client : interactive(spec)) {
            String scope = scope(delegated(spec, client));
            if (!scope.isEmpty()) {
                Map<String, String> desired = new LinkedHashMap<>();
                desired.put("scope", scope);
                desired.put("consentType", ALL_PRINCIPALS);
                wanted.put(client.clientId(), desired);
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return grant(live, clientId).map(grant -> {
            Map<String, String> current = new LinkedHashMap<>();
            current.put("scope", scope(Arrays.asList(grant.path("scope").asText("").trim().split("\\s+"))));
            current.put("consentType", ALL_PRINCIPALS);
            return current;
        });
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return interactive(spec).stream().map(ClientSpec::clientId).filter(c -> grant(live, c).isPresent());
    }

    private static List<ClientSpec> interactive(TenantSpec spec) {
        return spec.clients().stream().filter(c -> c.type() == ClientSpec.Type.INTERACTIVE).toList();
    }

    private static Optional<JsonNode> grant(LiveTenant live, String clientId) {
        return live.servicePrincipal(clientId).flatMap(sp -> find(live.grants(), sp.path("id").asText()));
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        String clientSp = context.servicePrincipal(change.name()).path("id").asText();
        String apiSp = context.servicePrincipal(spec.resource().clientId()).path("id").asText();
        String what = "admin consent for " + change.name();
        if (change instanceof Change.Create) {
            ObjectNode body = GraphGateway.object();
            body.put("clientId", clientSp);
            body.put("consentType", ALL_PRINCIPALS);
            body.put("resourceId", apiSp);
            body.put("scope", scope(delegated(spec, spec.client(change.name()).orElseThrow())));
            graph.post(what, Graph.grants(graph), body);
            return;
        }
        JsonNode grant = find(graph.list(what, Graph.grantsTo(graph, apiSp)), clientSp)
                .orElseThrow(() -> new ProvisioningException(what + ": grant not found"));
        String id = grant.path("id").asText();
        if (change instanceof Change.Delete) {
            graph.delete(what, Graph.grant(graph, id));
        } else {
            ObjectNode body = GraphGateway.object();
            body.put("scope", scope(delegated(spec, spec.client(change.name()).orElseThrow())));
            graph.patch(what, Graph.grant(graph, id), body);
        }
    }

    /** The client's scopes that are delegated permissions: role-gated ones are app roles only, never consented. */
    private static List<String> delegated(TenantSpec spec, ClientSpec client) {
        return client.scopes().stream().filter(s -> spec.scope(s).map(scope -> !scope.gated()).orElse(false)).toList();
    }

    /** Graph's format: space-separated; sorted so that order never shows up as a change. */
    static String scope(List<String> scopes) {
        TreeSet<String> sorted = new TreeSet<>(scopes);
        sorted.remove("");
        return String.join(" ", sorted);
    }

    private static Optional<JsonNode> find(List<JsonNode> grants, String clientSpId) {
        return grants.stream()
                .filter(g -> g.path("clientId").asText().equals(clientSpId) && ALL_PRINCIPALS.equals(g.path("consentType").asText()))
                .findFirst();
    }
}
