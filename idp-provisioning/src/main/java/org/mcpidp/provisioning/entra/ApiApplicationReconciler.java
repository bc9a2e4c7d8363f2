package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The MCP server's app registration. Upserted by {@code uniqueName} with {@code Prefer: create-if-missing}; issues v2
 * tokens ({@code api.requestedAccessTokenVersion: 2}, so {@code aud} is its appId GUID); its Application ID URI
 * ({@code identifierUris}) is the server's canonical URL exactly, e.g. {@code https://mcp.contoso.com/mcp}: an MCP
 * client sends that URL as {@code resource} (RFC 8707, from the server's protected resource metadata) and asks for
 * scopes named {@code <Application ID URI>/<scope>}, and Entra answers {@code AADSTS9010010} when the resource and
 * the Application ID URI differ at all (a trailing slash is enough). Entra accepts an https Application ID URI only on
 * a verified domain of the tenant (Graph: 400 {@code HostNameNotOnVerifiedDomain}). Other App ID URIs someone added
 * are kept, except {@code api://<appId>}, which earlier versions of this tool set. Its permission scopes, app roles
 * and pre-authorized clients have their own reconcilers.
 */
final class ApiApplicationReconciler extends AppRegistrationReconciler {

    static final String SIGN_IN_AUDIENCE = "AzureADMyOrg";

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        return Map.of(spec.resource().clientId(), desired(spec));
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return live.app(clientId).map(app -> fields(app, identifierUri(spec)));
    }

    /** The MCP server's canonical URL, the only Application ID URI this tool gives its API. */
    static String identifierUri(TenantSpec spec) {
        return spec.resource().url().toString();
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.APPLICATION && !(change instanceof Change.Delete)
                && change.name().equals(spec.resource().clientId());
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        boolean create = change instanceof Change.Create;
        List<FieldChange> fields = change instanceof Change.Update u ? u.fields() : List.of();
        JsonNode app = create ? null : context.apiApp();
        if (create || FieldChange.changed(fields, "displayName", "signInAudience", "requestedAccessTokenVersion",
                "identifierUris", Owner.FIELD)) {
            graph.upsert("create or update application " + change.name(),
                    Graph.application(graph, EntraNames.uniqueName(spec.realm(), change.name())), body(spec, app));
        }
    }

    /** Adds {@code api://<appId>} to the app's identifierUris (a second PATCH: the appId exists only after the create). */
    static void addAppIdUri(GraphGateway graph, JsonNode app, String name) {
        String uri = "api://" + app.path("appId").asText();
        Set<String> uris = new LinkedHashSet<>(EntraFields.strings(app.path("identifierUris")));
        uris.add(uri);
        ObjectNode patch = GraphGateway.object();
        ArrayNode list = patch.putArray("identifierUris");
        uris.forEach(list::add);
        graph.patch("set identifierUris of application " + name, Graph.applicationById(graph, app.path("id").asText()), patch);
    }

    private static Map<String, String> desired(TenantSpec spec) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("displayName", spec.resource().clientId());
        desired.put("signInAudience", SIGN_IN_AUDIENCE);
        desired.put("requestedAccessTokenVersion", "2");
        desired.put("identifierUris", identifierUri(spec));
        return desired;
    }

    /** An API app's managed fields, {@code identifierUris} shown as {@code expected} when it holds that URI. */
    static Map<String, String> fields(JsonNode app, String expected) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("displayName", app.path("displayName").asText(""));
        fields.put("signInAudience", app.path("signInAudience").asText(""));
        JsonNode version = app.path("api").path("requestedAccessTokenVersion");
        fields.put("requestedAccessTokenVersion", version.isNull() || version.isMissingNode() ? "" : version.asText());
        List<String> uris = EntraFields.strings(app.path("identifierUris"));
        fields.put("identifierUris", uris.contains(expected) ? expected : FieldChange.list(uris));
        return fields;
    }

    /**
     * Managed fields only; the {@code api} object is sent whole (with its live scopes) so nothing else changes. The
     * canonical URL comes first in {@code identifierUris}; URIs someone else added stay, the old {@code api://<appId>}
     * default of this tool goes.
     */
    private static ObjectNode body(TenantSpec spec, JsonNode live) {
        ObjectNode body = common(spec, spec.resource().clientId(), live);
        ObjectNode api = live != null && live.path("api").isObject() ? ((ObjectNode) live.path("api")).deepCopy() : body.objectNode();
        api.put("requestedAccessTokenVersion", 2);
        body.set("api", api);
        Set<String> uris = new LinkedHashSet<>();
        uris.add(identifierUri(spec));
        if (live != null) {
            String oldDefault = "api://" + live.path("appId").asText();
            EntraFields.strings(live.path("identifierUris")).stream().filter(u -> !u.equals(oldDefault)).forEach(uris::add);
        }
        ArrayNode list = body.putArray("identifierUris");
        uris.forEach(list::add);
        return body;
    }

    /** Fields every app this tool manages gets: name, audience, ownership tag (others' tags kept), a note. */
    static ObjectNode common(TenantSpec spec, String displayName, JsonNode live) {
        ObjectNode body = GraphGateway.object();
        body.put("displayName", displayName);
        body.put("signInAudience", SIGN_IN_AUDIENCE);
        EntraOwnership.mark(body, live, spec.realm());
        body.put("notes", "Managed by idp-provisioning for tenant spec realm '" + spec.realm() + "'. Managed fields "
                + "are reset by the next apply; the app is deleted when it leaves the spec.");
        return body;
    }
}
