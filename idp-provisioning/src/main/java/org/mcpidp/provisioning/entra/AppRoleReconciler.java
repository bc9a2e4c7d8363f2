package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.RoleSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * App roles of the API, ids derived from tenant + name. Two sources: every spec scope gets an app-only twin with the
 * same value ({@code allowedMemberTypes: [Application]}), because client-credentials tokens carry no {@code scp},
 * only {@code roles}; every spec role becomes an app role for applications and users. The verifier reads both
 * claims, so a tool requiring {@code mcp:read} accepts a user's {@code scp} and an agent's {@code roles}. A scope and a
 * role with the same name would be the same app role value, which Entra refuses: the plan fails early instead.
 *
 * <p>A role-gated scope's app role also allows users ({@code allowedMemberTypes: [Application, User]}): it is the only
 * form of that scope (no delegated permission), so a person gets it by an assignment to them or their group, and a
 * user token carries it in {@code roles}, which the verifier's Entra profile counts as scopes.
 */
final class AppRoleReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.APP_ROLE;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        desired(spec).forEach((value, role) -> wanted.put(value, fields(role)));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String value,
                                                    Map<String, String> desired) {
        return EntraFields.byValue(roles(spec, live), value).map(AppRoleReconciler::fields);
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return EntraFields.stream(roles(spec, live)).filter(r -> EntraOwnership.ownsAppRole(spec.realm(), r)).map(r -> r.path("value").asText());
    }

    private static JsonNode roles(TenantSpec spec, LiveTenant live) {
        return live.app(spec.resource().clientId()).map(a -> a.path("appRoles")).orElse(GraphGateway.JSON.createArrayNode());
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        JsonNode app = context.apiApp();
        GraphGateway graph = context.graph();
        Optional<ObjectNode> replacement = change instanceof Change.Delete ? Optional.empty()
                : Optional.of(desired(spec).get(change.name()));
        Entitlements.replace("app role " + change.name(), app.path("appRoles"),
                r -> r.path("value").asText().equals(change.name())
                        && (!(change instanceof Change.Delete) || EntraOwnership.ownsAppRole(spec.realm(), r)),
                replacement,
                (what, list) -> {
                    ObjectNode body = GraphGateway.object();
                    body.set("appRoles", list);
                    graph.patch(what, Graph.applicationById(graph, app.path("id").asText()), body);
                });
    }

    /** Value -> app role, scope twins first, in spec order. */
    static Map<String, ObjectNode> desired(TenantSpec spec) {
        Map<String, ObjectNode> roles = new LinkedHashMap<>();
        String realm = spec.realm();
        for (ScopeSpec scope : spec.scopes()) {
            roles.put(scope.name(), role(EntraNames.scopeRoleId(realm, scope.name()).toString(), scope.name(),
                    scope.description(), scope.gated() ? List.of("Application", "User") : List.of("Application")));
        }
        for (RoleSpec role : spec.roles()) {
            if (roles.containsKey(role.name())) {
                throw new ProvisioningException("scope and role '" + role.name() + "' would both be the Entra app role '"
                        + role.name() + "' (scopes become app roles for app-only tokens): rename one of them");
            }
            roles.put(role.name(), role(EntraNames.roleId(realm, role.name()).toString(), role.name(), role.description(),
                    List.of("Application", "User")));
        }
        return roles;
    }

    private static ObjectNode role(String id, String value, String description, List<String> memberTypes) {
        ObjectNode role = GraphGateway.object();
        role.put("id", id);
        role.put("value", value);
        role.put("displayName", value);
        role.put("description", description.isEmpty() ? value : description);
        ArrayNode types = role.putArray("allowedMemberTypes");
        memberTypes.forEach(types::add);
        role.put("isEnabled", true);
        return role;
    }

    private static Map<String, String> fields(JsonNode role) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", role.path("id").asText(""));
        fields.put("displayName", role.path("displayName").asText(""));
        fields.put("description", role.path("description").asText(""));
        fields.put("allowedMemberTypes", FieldChange.list(EntraFields.strings(role.path("allowedMemberTypes"))));
        fields.put("enabled", Boolean.toString(role.path("isEnabled").asBoolean(false)));
        return fields;
    }
}
