package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Admin consent for interactive clients: one {@code oauth2PermissionGrant} (consentType {@code AllPrincipals}) from the
 * client's service principal to the API's, listing the client's spec scopes. Without it every user would be asked to
 * consent (or could not, where user consent is off). Agents need none: their app roles are assigned instead.
 */
final class PermissionGrantReconciler implements Reconciler {

    static final String ALL_PRINCIPALS = "AllPrincipals";

    @Override
    public Diff plan(TenantSpec spec, LiveTenant live) {
        List<Change> upserts = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        int unchanged = 0;
        for (ClientSpec client : spec.clients()) {
            if (client.type() != ClientSpec.Type.INTERACTIVE) {
                continue;
            }
            String wanted = scope(delegated(spec, client));
            Optional<JsonNode> grant = live.servicePrincipal(client.clientId())
                    .flatMap(sp -> find(live.grants(), sp.path("id").asText()));
            Map<String, String> desired = new LinkedHashMap<>();
            desired.put("scope", wanted);
            desired.put("consentType", ALL_PRINCIPALS);
            if (grant.isEmpty()) {
                if (!wanted.isEmpty()) {
                    upserts.add(new Change.Create(ResourceType.PERMISSION_GRANT, client.clientId(), FieldChange.created(desired)));
                }
            } else if (wanted.isEmpty()) {
                deletes.add(new Change.Delete(ResourceType.PERMISSION_GRANT, client.clientId()));
            } else {
                Map<String, String> current = new LinkedHashMap<>();
                current.put("scope", scope(Arrays.asList(grant.get().path("scope").asText("").trim().split("\\s+"))));
                current.put("consentType", ALL_PRINCIPALS);
                List<FieldChange> changes = FieldChange.diff(current, desired);
                if (changes.isEmpty()) {
                    unchanged++;
                } else {
                    upserts.add(new Change.Update(ResourceType.PERMISSION_GRANT, client.clientId(), changes));
                }
            }
        }
        return new Diff(upserts, deletes, unchanged);
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.PERMISSION_GRANT;
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
