package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The service principal of every app the spec asks for: tokens can only be issued for, and to, apps that have one in
 * the tenant; grants and role assignments attach to it. Created when missing, never changed; Entra deletes it together
 * with its application.
 */
final class ServicePrincipalReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    /** The tag Entra itself gives service principals it creates; kept next to ours. */
    static final String INTEGRATED_APP_TAG = "WindowsAzureActiveDirectoryIntegratedApp";

    @Override
    public ResourceType type() {
        return ResourceType.SERVICE_PRINCIPAL;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DesiredApp app : DesiredApp.all(spec)) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("appId", live.app(app.clientId()).map(a -> a.path("appId").asText())
                    .orElse("appId of application " + app.clientId()));
            fields.put("tags", FieldChange.list(List.of(INTEGRATED_APP_TAG, EntraOwnership.tag(spec.realm()))));
            wanted.put(app.clientId(), fields);
        }
        return wanted;
    }

    /** Never compared: one that exists is left as it is. */
    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return live.servicePrincipal(clientId).map(sp -> desired);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        ObjectNode body = GraphGateway.object();
        body.put("appId", context.app(change.name()).path("appId").asText());
        body.putArray("tags").add(INTEGRATED_APP_TAG).add(EntraOwnership.tag(spec.realm()));
        graph.post("create service principal of " + change.name(), Graph.servicePrincipals(graph), body);
    }
}
