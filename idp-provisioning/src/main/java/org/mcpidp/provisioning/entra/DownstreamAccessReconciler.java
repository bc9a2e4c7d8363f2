package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.DownstreamScopeSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The MCP API app's {@code requiredResourceAccess}: one entry per downstream API, listing that API's delegated
 * permissions ({@code type Scope}). The MCP server's app is the middle tier that calls the API On-Behalf-Of its
 * callers, so it is the one that asks for them (and gets admin consent, {@link DownstreamGrantReconciler}). Keyed by
 * the downstream API's client id; entries for other resources (say Graph's User.Read added by hand) are kept. The
 * entry of a downstream API that left the spec is removed before its app is deleted (deletes run bottom-up).
 */
final class DownstreamAccessReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.API_PERMISSION;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            if (!api.scopes().isEmpty()) {
                wanted.put(api.clientId(), Map.of("scopes",
                        FieldChange.list(api.scopes().stream().map(DownstreamScopeSpec::name).sorted().toList())));
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        DownstreamSpec api = spec.downstream(clientId).orElseThrow();
        Optional<String> appId = live.app(clientId).map(a -> a.path("appId").asText());
        return appId.flatMap(id -> entry(live, spec, id)).map(entry -> {
            Map<String, String> names = new HashMap<>();
            api.scopes().forEach(s -> names.put(DownstreamScopeReconciler.scopeId(spec, api, s.name()), s.name()));
            List<String> scopes = EntraFields.stream(entry.path("resourceAccess"))
                    .map(a -> a.path("type").asText().equals("Scope")
                            ? names.getOrDefault(a.path("id").asText(), "Scope " + a.path("id").asText())
                            : a.path("type").asText() + " " + a.path("id").asText())
                    .sorted().toList();
            return Map.of("scopes", FieldChange.list(scopes));
        });
    }

    /** Downstream APIs (in the spec, or tagged apps that left it) the MCP API app has an entry for. */
    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        Map<String, String> byAppId = candidates(spec, live);
        return byAppId.entrySet().stream().filter(e -> entry(live, spec, e.getKey()).isPresent()).map(Map.Entry::getValue);
    }

    /** appId -> client id of every app whose entry this reconciler may write or remove. */
    private static Map<String, String> candidates(TenantSpec spec, LiveTenant live) {
        Set<String> inSpec = DesiredApp.all(spec).stream().map(a -> a.uniqueName(spec.realm())).collect(Collectors.toSet());
        Map<String, String> byAppId = new LinkedHashMap<>();
        spec.downstream().forEach(d -> live.app(d.clientId()).ifPresent(a -> byAppId.put(a.path("appId").asText(), d.clientId())));
        live.ownedApps().stream().filter(a -> !inSpec.contains(a.path("uniqueName").asText()))
                .forEach(a -> byAppId.put(a.path("appId").asText(), a.path("displayName").asText()));
        return byAppId;
    }

    private static Optional<JsonNode> entry(LiveTenant live, TenantSpec spec, String resourceAppId) {
        return live.app(spec.resource().clientId()).flatMap(app -> EntraFields.stream(app.path("requiredResourceAccess"))
                .filter(r -> r.path("resourceAppId").asText().equals(resourceAppId)).findFirst());
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        JsonNode mcpApi = context.apiApp();
        String resourceAppId = change instanceof Change.Delete ? orphanAppId(change.name(), spec, context)
                : context.app(change.name()).path("appId").asText();
        ObjectNode body = GraphGateway.object();
        ArrayNode access = body.putArray("requiredResourceAccess");
        mcpApi.path("requiredResourceAccess").forEach(r -> {
            if (!r.path("resourceAppId").asText().equals(resourceAppId)) {
                access.add(r);
            }
        });
        if (!(change instanceof Change.Delete)) {
            DownstreamSpec api = spec.downstream(change.name()).orElseThrow();
            ObjectNode ours = access.addObject();
            ours.put("resourceAppId", resourceAppId);
            ArrayNode entries = ours.putArray("resourceAccess");
            api.scopes().stream().map(DownstreamScopeSpec::name).sorted().forEach(s ->
                    entries.addObject().put("id", DownstreamScopeReconciler.scopeId(spec, api, s)).put("type", "Scope"));
        }
        graph.patch((change instanceof Change.Delete ? "remove" : "set") + " permissions of " + spec.resource().clientId()
                + " for " + change.name(), Graph.applicationById(graph, mcpApi.path("id").asText()), body);
    }

    /** The appId of a downstream API still in the spec (its scopes all went) or of a tagged app that left it. */
    private static String orphanAppId(String clientId, TenantSpec spec, ApplyContext context) {
        if (spec.downstream(clientId).isPresent()) {
            return context.app(clientId).path("appId").asText();
        }
        GraphGateway graph = context.graph();
        return graph.list("list applications of tenant " + spec.realm(), Graph.ownedApplications(graph, spec.realm()))
                .stream().filter(a -> a.path("displayName").asText().equals(clientId)).findFirst()
                .map(a -> a.path("appId").asText())
                .orElseThrow(() -> new ProvisioningException("application " + clientId + " tagged for " + spec.realm()
                        + " not found"));
    }
}
