package org.mcpidp.provisioning.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The spec's {@code downstream} on the Entra target, against the local STAND-INS of Microsoft Graph and the Entra
 * token endpoint (not Microsoft; see {@link EntraStandIns}): the API app registration with its scopes, the MCP API
 * app's {@code requiredResourceAccess} for them, and admin consent from the MCP server's service principal to the
 * API's, so the MCP server can call the API On-Behalf-Of its callers.
 */
class EntraDownstreamStandInScenarioTest extends EntraStandInScenario {

    private static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    private static final String ORDERS = DemoTenantFixture.ORDERS_API.indent(4);
    private static final String ORDERS_WRITE = """
                      - name: orders:write
                        description: Change orders
                        from: [mcp:write]
            """;

    /** The demo tenant with {@code downstream} (YAML at the tenant's indentation) added. */
    private TenantSpec withDownstream(String downstream) {
        return spec(DEMO + downstream);
    }

    private String spId(String clientId) {
        return standIns.graph().servicePrincipalOf(app(clientId).path("appId").asText()).orElseThrow().path("id").asText();
    }

    private static String scopeId(String scope) {
        return UUID.nameUUIDFromBytes(("mcpidp:mcp-demo:downstream:orders-api:oauth2PermissionScope:" + scope).getBytes()).toString();
    }

    private List<JsonNode> grantsTo(String clientId) {
        String resource = spId(clientId);
        return standIns.graph().grants.values().stream().map(g -> (JsonNode) g)
                .filter(g -> g.path("resourceId").asText().equals(resource)).toList();
    }

    @Test
    void whenADownstreamApiIsAddedThenItsAppScopeAccessAndConsentAreCreatedAndConverge() {
        TenantSpec spec = withDownstream(ORDERS);

        Plan plan = apply(spec);

        assertThat(plan.changes().stream().filter(c -> c.name().startsWith("orders-api")).map(c -> c.type() + " " + c.name()))
                .containsExactly("APPLICATION orders-api", "PERMISSION_SCOPE orders-api/orders:read",
                        "API_PERMISSION orders-api", "SERVICE_PRINCIPAL orders-api", "PERMISSION_GRANT orders-api");
        assertThat(provisioner.plan(spec).changes()).isEmpty();

        ObjectNode orders = app("orders-api");
        String ordersAppId = orders.path("appId").asText();
        assertThat(orders.path("identifierUris").toString()).contains("api://" + ordersAppId);
        assertThat(orders.path("api").path("requestedAccessTokenVersion").asInt()).isEqualTo(2);
        assertThat(orders.path("description").asText()).isEqualTo("The demo orders API");
        assertThat(orders.path("tags").toString()).contains("mcpidp:managed-by:mcp-demo");
        assertThat(orders.path("api").path("oauth2PermissionScopes")).singleElement().satisfies(s -> {
            assertThat(s.path("value").asText()).isEqualTo("orders:read");
            assertThat(s.path("id").asText()).isEqualTo(scopeId("orders:read"));
            assertThat(s.path("type").asText()).isEqualTo("User");
            assertThat(s.path("adminConsentDescription").asText()).isEqualTo("Read orders");
            assertThat(s.path("isEnabled").asBoolean()).isTrue();
        });
        // The MCP server's app is the middle tier: it asks for the API's delegated permission ...
        assertThat(app("mcp-server").path("requiredResourceAccess")).singleElement().satisfies(r -> {
            assertThat(r.path("resourceAppId").asText()).isEqualTo(ordersAppId);
            assertThat(r.path("resourceAccess").toString())
                    .isEqualTo("[{\"id\":\"" + scopeId("orders:read") + "\",\"type\":\"Scope\"}]");
        });
        // ... and holds admin consent for it, so On-Behalf-Of never answers AADSTS65001.
        assertThat(grantsTo("orders-api")).singleElement().satisfies(g -> {
            assertThat(g.path("clientId").asText()).isEqualTo(spId("mcp-server"));
            assertThat(g.path("consentType").asText()).isEqualTo("AllPrincipals");
            assertThat(g.path("scope").asText()).isEqualTo("orders:read");
        });
        // The clients' apps do not ask for the downstream API: only the MCP server calls it.
        assertThat(app("mcp-inspector").path("requiredResourceAccess").toString()).doesNotContain(ordersAppId);
    }

    @Test
    void whenReappliedUnchangedThenZeroGraphWrites() {
        TenantSpec spec = withDownstream(ORDERS);
        apply(spec);
        long before = provisioner.writes();
        int wireWrites = standIns.graph().writes().size();

        Plan again = apply(spec);

        assertThat(again.changes()).isEmpty();
        // the demo's 29 unchanged objects plus the API app, its scope, the access entry, its SP and the grant
        assertThat(again.unchanged()).isEqualTo(1 + 3 + 5 + 4 + 5 + 3 + 1 + 7 + 5);
        assertThat(provisioner.writes() - before).isZero();
        assertThat(standIns.graph().writes()).hasSize(wireWrites);
    }

    @Test
    void whenADownstreamScopeIsAddedThenAccessAndConsentFollow() {
        apply(withDownstream(ORDERS));
        TenantSpec more = withDownstream(ORDERS + ORDERS_WRITE);

        Plan plan = apply(more);

        assertThat(plan.changes()).containsExactly(
                new Change.Create(ResourceType.PERMISSION_SCOPE, "orders-api/orders:write", FieldChange.created(
                        PermissionScopeReconciler.fields(PermissionScopeReconciler.entry(scopeId("orders:write"),
                                "orders:write", "Change orders")))),
                new Change.Update(ResourceType.API_PERMISSION, "orders-api",
                        List.of(new FieldChange("scopes", "orders:read", "orders:read, orders:write"))),
                new Change.Update(ResourceType.PERMISSION_GRANT, "orders-api",
                        List.of(new FieldChange("scope", "orders:read", "orders:read orders:write"))));
        assertThat(provisioner.plan(more).changes()).isEmpty();
        assertThat(app("mcp-server").path("requiredResourceAccess").get(0).path("resourceAccess")).hasSize(2);
        assertThat(grantsTo("orders-api")).singleElement()
                .satisfies(g -> assertThat(g.path("scope").asText()).isEqualTo("orders:read orders:write"));
    }

    @Test
    void whenADownstreamScopeDescriptionChangesThenItIsDisabledBeforeItIsChanged() {
        apply(withDownstream(ORDERS));
        int before = standIns.graph().writes().size();

        Plan plan = apply(withDownstream(ORDERS.replace("description: Read orders", "description: Read all orders")));

        assertThat(plan.changes()).extracting(c -> c.type() + " " + c.name())
                .containsExactly("PERMISSION_SCOPE orders-api/orders:read");
        List<String> writes = standIns.graph().writes().subList(before, standIns.graph().writes().size());
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).containsPattern("\"value\":\"orders:read\"[^}]*\"isEnabled\":false");
        assertThat(app("orders-api").path("api").path("oauth2PermissionScopes").get(0).path("adminConsentDescription").asText())
                .isEqualTo("Read all orders");
    }

    @Test
    void whenTheDownstreamApiLeavesTheSpecThenOnlyWhatItOwnedIsPruned() {
        apply(withDownstream(ORDERS));
        // Someone adds Graph's User.Read to the MCP server's app by hand: not ours, it stays.
        ArrayNode access = (ArrayNode) app("mcp-server").path("requiredResourceAccess");
        ObjectNode graphAccess = access.addObject().put("resourceAppId", GRAPH_APP_ID);
        graphAccess.putArray("resourceAccess").addObject().put("id", "e1fe6dd8-ba31-4d61-89e7-88639da4683d").put("type", "Scope");
        String ordersSp = spId("orders-api");
        int grantsBefore = standIns.graph().grants.size();

        Plan plan = apply(withDownstream(""));

        assertThat(plan.changes()).extracting(c -> c.getClass().getSimpleName() + " " + c.type() + " " + c.name())
                .containsExactly("Delete API_PERMISSION orders-api", "Delete APPLICATION orders-api");
        assertThat(standIns.graph().application(EntraNames.uniqueName(REALM, "orders-api"))).isEmpty();
        assertThat(app("mcp-server").path("requiredResourceAccess")).singleElement()
                .satisfies(r -> assertThat(r.path("resourceAppId").asText()).isEqualTo(GRAPH_APP_ID));
        assertThat(standIns.graph().servicePrincipals.values()).noneMatch(sp -> sp.path("id").asText().equals(ordersSp));
        assertThat(standIns.graph().grants).hasSize(grantsBefore - 1);
        assertThat(standIns.graph().grants.values()).noneMatch(g -> g.path("resourceId").asText().equals(ordersSp));
        assertThat(provisioner.plan(withDownstream("")).changes()).isEmpty();
    }
}
