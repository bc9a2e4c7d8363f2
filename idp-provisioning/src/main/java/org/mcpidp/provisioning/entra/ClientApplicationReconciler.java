package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * App registrations of the spec's clients, with {@code requiredResourceAccess} to the API: agents (client
 * credentials) list app roles ({@code Role}: every scope's app-only twin and every role), interactive clients list
 * delegated permissions ({@code Scope}). Entries for other APIs (say Graph's User.Read added by hand) are kept.
 * Also deletes every app tagged for this tenant that is no longer in the spec, the API's included.
 */
final class ClientApplicationReconciler extends AppRegistrationReconciler {

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        spec.clients().forEach(client -> wanted.put(client.clientId(), desired(spec, DesiredApp.client(client))));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        Optional<JsonNode> api = live.app(spec.resource().clientId());
        String apiAppId = api.map(a -> a.path("appId").asText()).orElse("");
        return live.app(clientId).map(app -> fields(app, apiAppId, labels(spec, api)));
    }

    /** Every app tagged for this tenant that the spec no longer asks for, the API's included (by unique name). */
    @Override
    protected Stream<String> orphans(TenantSpec spec, LiveTenant live, Set<String> wanted) {
        Set<String> uniqueNames = wantedUniqueNames(spec);
        return live.ownedApps().stream().filter(a -> !uniqueNames.contains(a.path("uniqueName").asText()))
                .map(a -> a.path("displayName").asText());
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.APPLICATION
                && (change instanceof Change.Delete || !change.name().equals(spec.resource().clientId()));
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        if (change instanceof Change.Delete) {
            Set<String> wanted = wantedUniqueNames(spec);
            JsonNode app = graph.list("list applications of tenant " + spec.realm(), Graph.ownedApplications(graph, spec.realm()))
                    .stream()
                    .filter(a -> a.path("displayName").asText().equals(change.name()) && !wanted.contains(a.path("uniqueName").asText()))
                    .findFirst()
                    .orElseThrow(() -> new ProvisioningException("application " + change.name() + " tagged for "
                            + spec.realm() + " not found"));
            // Entra deletes the app's service principal, its grants and its role assignments with it.
            graph.delete("delete application " + change.name(), Graph.applicationById(graph, app.path("id").asText()));
            return;
        }
        ClientSpec client = spec.client(change.name()).orElseThrow();
        DesiredApp desired = DesiredApp.client(client);
        JsonNode live = change instanceof Change.Create ? null : context.app(client.clientId());
        String apiAppId = context.apiApp().path("appId").asText();
        ObjectNode body = ApiApplicationReconciler.common(spec, client.clientId(), live);
        body.put("description", client.description().isEmpty() ? null : client.description());
        ArrayNode access = body.putArray("requiredResourceAccess");
        if (live != null) {
            live.path("requiredResourceAccess").forEach(r -> {
                if (!r.path("resourceAppId").asText().equals(apiAppId)) {
                    access.add(r);
                }
            });
        }
        List<Access> wanted = access(spec, client);
        if (!wanted.isEmpty()) {
            ObjectNode ours = access.addObject();
            ours.put("resourceAppId", apiAppId);
            ArrayNode entries = ours.putArray("resourceAccess");
            wanted.forEach(a -> entries.addObject().put("id", a.id()).put("type", a.type()));
        }
        ArrayNode spa = body.putObject("spa").putArray("redirectUris");
        desired.spaRedirectUris().forEach(spa::add);
        ArrayNode publicClient = body.putObject("publicClient").putArray("redirectUris");
        desired.publicClientRedirectUris().forEach(publicClient::add);
        graph.upsert((live == null ? "create" : "update") + " application " + client.clientId(),
                Graph.application(graph, desired.uniqueName(spec.realm())), body);
    }

    /** One {@code resourceAccess} entry: {@code type} is {@code Scope} (delegated) or {@code Role} (app role). */
    record Access(String id, String type, String label) {
    }

    static List<Access> access(TenantSpec spec, ClientSpec client) {
        List<Access> access = new ArrayList<>();
        String realm = spec.realm();
        if (client.type() == ClientSpec.Type.AGENT) {
            AppRoleAssignmentReconciler.agentScopes(spec, client)
                    .forEach(s -> access.add(new Access(EntraNames.scopeRoleId(realm, s).toString(), "Role", "Role " + s)));
            spec.effectiveRoles(client.roles())
                    .forEach(r -> access.add(new Access(EntraNames.roleId(realm, r).toString(), "Role", "Role " + r)));
        } else {
            // Role-gated scopes are app roles assigned to people, not delegated permissions a client asks for.
            client.scopes().stream().filter(s -> spec.scope(s).map(scope -> !scope.gated()).orElse(false))
                    .forEach(s -> access.add(new Access(EntraNames.scopeId(realm, s).toString(), "Scope", "Scope " + s)));
        }
        return access;
    }

    private static Map<String, String> desired(TenantSpec spec, DesiredApp app) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("displayName", app.clientId());
        desired.put("description", app.description());
        desired.put("signInAudience", ApiApplicationReconciler.SIGN_IN_AUDIENCE);
        desired.put("requiredResourceAccess", FieldChange.list(access(spec, app.client()).stream().map(Access::label).toList()));
        desired.put("spaRedirectUris", FieldChange.list(app.spaRedirectUris()));
        desired.put("publicClientRedirectUris", FieldChange.list(app.publicClientRedirectUris()));
        return desired;
    }

    private static Map<String, String> fields(JsonNode app, String apiAppId, Map<String, String> labels) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("displayName", app.path("displayName").asText(""));
        fields.put("description", app.path("description").asText(""));
        fields.put("signInAudience", app.path("signInAudience").asText(""));
        List<String> access = new ArrayList<>();
        for (JsonNode resource : app.path("requiredResourceAccess")) {
            if (!apiAppId.isEmpty() && resource.path("resourceAppId").asText().equals(apiAppId)) {
                resource.path("resourceAccess").forEach(a -> access.add(labels.getOrDefault(
                        a.path("type").asText() + ":" + a.path("id").asText(), a.path("type").asText() + " " + a.path("id").asText())));
            }
        }
        fields.put("requiredResourceAccess", FieldChange.list(access));
        fields.put("spaRedirectUris", FieldChange.list(EntraFields.strings(app.path("spa").path("redirectUris"))));
        fields.put("publicClientRedirectUris", FieldChange.list(EntraFields.strings(app.path("publicClient").path("redirectUris"))));
        return fields;
    }

    /** {@code type:id} -> {@code "Scope mcp:read"} for every scope and app role the API has or the spec declares. */
    private static Map<String, String> labels(TenantSpec spec, Optional<JsonNode> api) {
        Map<String, String> labels = new HashMap<>();
        api.ifPresent(a -> {
            a.path("api").path("oauth2PermissionScopes").forEach(s ->
                    labels.put("Scope:" + s.path("id").asText(), "Scope " + s.path("value").asText()));
            a.path("appRoles").forEach(r -> labels.put("Role:" + r.path("id").asText(), "Role " + r.path("value").asText()));
        });
        String realm = spec.realm();
        spec.scopes().forEach(s -> {
            labels.put("Scope:" + EntraNames.scopeId(realm, s.name()), "Scope " + s.name());
            labels.put("Role:" + EntraNames.scopeRoleId(realm, s.name()), "Role " + s.name());
        });
        spec.roles().forEach(r -> labels.put("Role:" + EntraNames.roleId(realm, r.name()), "Role " + r.name()));
        return labels;
    }

    private static Set<String> wantedUniqueNames(TenantSpec spec) {
        Set<String> wanted = new HashSet<>();
        DesiredApp.all(spec).forEach(a -> wanted.add(a.uniqueName(spec.realm())));
        return wanted;
    }
}
