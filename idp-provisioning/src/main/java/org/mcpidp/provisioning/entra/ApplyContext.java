package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * What a change needs while it executes. Objects are read fresh (reads are free; only writes are counted) because
 * objects created earlier in the same apply were not in the plan's snapshot; right after their creation such reads
 * may 404, which the gateway retries.
 */
record ApplyContext(GraphGateway graph, TenantSpec spec, SecretSink secrets) {

    String realm() {
        return spec.realm();
    }

    JsonNode app(String clientId) {
        return graph.get("read application " + clientId,
                Graph.application(graph, EntraNames.uniqueName(realm(), clientId)));
    }

    JsonNode apiApp() {
        return app(spec.resource().clientId());
    }

    JsonNode servicePrincipal(String clientId) {
        String appId = app(clientId).path("appId").asText();
        return graph.get("read service principal of " + clientId, Graph.servicePrincipal(graph, appId));
    }
}
