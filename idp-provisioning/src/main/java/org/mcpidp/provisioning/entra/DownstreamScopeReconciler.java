package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.DownstreamScopeSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Each scope of a downstream API is a delegated permission of that API's app ({@code api.oauth2PermissionScopes},
 * type {@code User}, id derived from tenant + API + name), keyed {@code <api client id>/<scope>} in plans. On-Behalf-Of
 * tokens for the API carry it in {@code scp}. Changed or removed ones are disabled first (Graph's rule, see
 * {@link Entitlements}); scopes with another id (made by hand) are left alone.
 */
final class DownstreamScopeReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_SCOPE;
    }

    /** Whether a plan key names a downstream API's scope (client ids are unique in a tenant and hold no '/'). */
    static boolean isKey(String key, TenantSpec spec) {
        return api(key, spec).isPresent();
    }

    private static Optional<DownstreamSpec> api(String key, TenantSpec spec) {
        return spec.downstream().stream().filter(d -> key.startsWith(d.clientId() + "/")).findFirst();
    }

    static String key(DownstreamSpec api, String scope) {
        return api.clientId() + "/" + scope;
    }

    static String scopeId(TenantSpec spec, DownstreamSpec api, String scope) {
        return EntraNames.downstreamScopeId(spec.realm(), api.clientId(), scope).toString();
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            for (DownstreamScopeSpec scope : api.scopes()) {
                wanted.put(key(api, scope.name()), PermissionScopeReconciler.fields(entry(spec, api, scope)));
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String key,
                                                    Map<String, String> desired) {
        DownstreamSpec api = api(key, spec).orElseThrow();
        return EntraFields.byValue(scopes(live, api), key.substring(api.clientId().length() + 1))
                .map(PermissionScopeReconciler::fields);
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return spec.downstream().stream().flatMap(api -> EntraFields.stream(scopes(live, api))
                .filter(s -> EntraOwnership.ownsDownstreamScope(spec.realm(), api.clientId(), s)).map(s -> key(api, s.path("value").asText())));
    }

    private static JsonNode scopes(LiveTenant live, DownstreamSpec api) {
        return live.app(api.clientId()).map(a -> a.path("api").path("oauth2PermissionScopes"))
                .orElse(GraphGateway.JSON.createArrayNode());
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && isKey(change.name(), spec);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        DownstreamSpec api = api(change.name(), spec).orElseThrow();
        String name = change.name().substring(api.clientId().length() + 1);
        JsonNode app = context.app(api.clientId());
        GraphGateway graph = context.graph();
        Optional<ObjectNode> replacement = change instanceof Change.Delete ? Optional.empty()
                : Optional.of(entry(spec, api, api.scope(name).orElseThrow()));
        Entitlements.replace("permission scope " + change.name(), app.path("api").path("oauth2PermissionScopes"),
                s -> s.path("value").asText().equals(name) && (!(change instanceof Change.Delete)
                        || EntraOwnership.ownsDownstreamScope(spec.realm(), api.clientId(), s)),
                replacement,
                (what, list) -> {
                    ObjectNode apiObject = app.path("api").isObject() ? ((ObjectNode) app.path("api")).deepCopy() : GraphGateway.object();
                    apiObject.set("oauth2PermissionScopes", list);
                    ObjectNode body = GraphGateway.object();
                    body.set("api", apiObject);
                    graph.patch(what, Graph.applicationById(graph, app.path("id").asText()), body);
                });
    }

    private static ObjectNode entry(TenantSpec spec, DownstreamSpec api, DownstreamScopeSpec scope) {
        return PermissionScopeReconciler.entry(scopeId(spec, api, scope.name()), scope.name(), scope.description());
    }
}
