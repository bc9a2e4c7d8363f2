package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The server's {@code preAuthorizedClients}, client apps made elsewhere (Visual Studio Code's
 * {@code aebc6443-996d-45c2-90f0-388ff96faa56}, say), as {@code api.preAuthorizedApplications} entries
 * ({@code {appId, delegatedPermissionIds}}, Graph v1.0): their users get the API's delegated permissions (the open
 * scopes, {@link PermissionScopeReconciler}) without a consent prompt. An app role cannot be pre-authorized (Graph
 * checks the ids are delegated permissions), so a role-gated scope never is. Graph recognizes only permission ids
 * already stored, not ones defined in the same request (400 {@code InvalidValue} "... has a Permission Id that cannot
 * be found in the AppPermissions sets"): this runs after the scopes are written. An entry is this tool's when every id
 * it lists is one of this tenant's derived scope ids; entries of other clients someone added are kept.
 */
final class PreAuthorizationReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PRE_AUTHORIZED_APPLICATION;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        List<String> scopes = delegated(spec);
        if (!scopes.isEmpty()) {
            spec.resource().preAuthorizedClients().forEach(appId -> wanted.put(appId, Map.of("delegatedPermissions",
                    FieldChange.list(scopes))));
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String appId,
                                                    Map<String, String> desired) {
        return entries(spec, live).filter(e -> e.path("appId").asText().equalsIgnoreCase(appId)).findFirst()
                .map(e -> Map.of("delegatedPermissions", FieldChange.list(labels(spec, e))));
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        Set<String> ours = spec.scopes().stream().map(s -> EntraNames.scopeId(spec.realm(), s.name()).toString())
                .collect(Collectors.toSet());
        return entries(spec, live).filter(e -> {
            List<String> ids = EntraFields.strings(e.path("delegatedPermissionIds"));
            return !ids.isEmpty() && ours.containsAll(ids);
        }).map(e -> e.path("appId").asText().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        JsonNode app = context.apiApp();
        ArrayNode list = GraphGateway.JSON.createArrayNode();
        for (JsonNode entry : app.path("api").path("preAuthorizedApplications")) {
            if (!entry.path("appId").asText().equalsIgnoreCase(change.name())) {
                list.add(entry.deepCopy());
            }
        }
        if (!(change instanceof Change.Delete)) {
            ObjectNode entry = list.addObject();
            entry.put("appId", change.name());
            ArrayNode ids = entry.putArray("delegatedPermissionIds");
            delegated(spec).forEach(scope -> ids.add(EntraNames.scopeId(spec.realm(), scope).toString()));
        }
        // The api object is written whole: a PATCH replaces complex properties.
        ObjectNode api = app.path("api").isObject() ? ((ObjectNode) app.path("api")).deepCopy() : GraphGateway.object();
        api.set("preAuthorizedApplications", list);
        ObjectNode body = GraphGateway.object();
        body.set("api", api);
        String verb = change instanceof Change.Delete ? "remove" : "set";
        context.graph().patch(verb + " pre-authorization of " + change.name(),
                Graph.applicationById(context.graph(), app.path("id").asText()), body);
    }

    /** The delegated permissions a pre-authorized client gets: the API's open scopes, by value. */
    static List<String> delegated(TenantSpec spec) {
        return PermissionScopeReconciler.delegated(spec).stream().map(ScopeSpec::name).toList();
    }

    private static Stream<JsonNode> entries(TenantSpec spec, LiveTenant live) {
        List<JsonNode> entries = new ArrayList<>();
        live.app(spec.resource().clientId())
                .ifPresent(a -> a.path("api").path("preAuthorizedApplications").forEach(entries::add));
        return entries.stream();
    }

    /** The scope values of an entry's ids where they are this tenant's scopes, else the ids themselves. */
    private static List<String> labels(TenantSpec spec, JsonNode entry) {
        Map<String, String> names = new LinkedHashMap<>();
        spec.scopes().forEach(s -> names.put(EntraNames.scopeId(spec.realm(), s.name()).toString(), s.name()));
        return EntraFields.strings(entry.path("delegatedPermissionIds")).stream().map(id -> names.getOrDefault(id, id))
                .toList();
    }
}
