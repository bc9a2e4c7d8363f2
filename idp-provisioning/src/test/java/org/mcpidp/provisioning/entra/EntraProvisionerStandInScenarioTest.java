package org.mcpidp.provisioning.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Numbered scenarios of the Entra target against the local STAND-INS of Microsoft Graph and the Entra token endpoint
 * (not Microsoft; see {@link EntraStandIns}). Each test has its own stand-ins, so the order does not matter.
 */
class EntraProvisionerStandInScenarioTest extends EntraStandInScenario {

    private static List<String> values(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(e -> values.add(e.path("value").asText()));
        return values;
    }

    @Test
    void scenario01_whenTenantIsEmptyThenApplyCreatesEverythingAndConverges() {
        TenantSpec spec = spec(DEMO);

        Plan plan = apply(spec);

        assertThat(plan.changes()).allMatch(c -> c instanceof Change.Create);
        assertThat(plan.changes().get(0)).isEqualTo(plan.changes().stream()
                .filter(c -> c.type() == ResourceType.APPLICATION).findFirst().orElseThrow());
        assertThat(plan.changes().get(0).name()).isEqualTo("mcp-server");
        assertThat(provisioner.plan(spec).changes()).isEmpty();

        ObjectNode api = app("mcp-server");
        assertThat(api.path("identifierUris")).singleElement().satisfies(uri ->
                assertThat(uri.asText()).isEqualTo("https://mcp.example.test/mcp"));
        assertThat(api.path("api").path("requestedAccessTokenVersion").asInt()).isEqualTo(2);
        assertThat(api.path("tags").toString()).contains("mcpidp:managed-by:mcp-demo");
        assertThat(values(api.path("api").path("oauth2PermissionScopes"))).containsExactly("mcp:read", "mcp:write", "mcp:admin");
        assertThat(api.path("api").path("oauth2PermissionScopes").get(0).path("id").asText())
                .isEqualTo(UUID.nameUUIDFromBytes("mcpidp:mcp-demo:oauth2PermissionScope:mcp:read".getBytes()).toString());
        assertThat(values(api.path("appRoles"))).containsExactly("mcp:read", "mcp:write", "mcp:admin", "reader", "admin");
        assertThat(standIns.graph().servicePrincipals).hasSize(5);
        assertThat(standIns.graph().assignments).hasSize(1 + 2 + 4);
        assertThat(standIns.graph().grants.values()).singleElement()
                .satisfies(g -> assertThat(g.path("scope").asText()).isEqualTo("mcp:admin mcp:read mcp:write"));
        assertThat(app("mcp-inspector").path("spa").path("redirectUris").toString()).contains("http://localhost:6274/oauth/callback");
        assertThat(app("agent-admin").path("requiredResourceAccess").get(0).path("resourceAppId").asText())
                .isEqualTo(api.path("appId").asText());

        assertThat(secrets).containsOnlyKeys("AGENT_READER_SECRET", "AGENT_WRITER_SECRET", "AGENT_ADMIN_SECRET");
        assertThat(app("agent-reader").path("passwordCredentials")).singleElement()
                .satisfies(p -> assertThat(p.path("secretText").isNull()).isTrue());
        assertThat(standIns.graph().bearerTokens()).isNotEmpty().allMatch(standIns.login()::issued);
    }

    @Test
    void scenario02_whenSpecIsUnchangedThenReapplyMakesZeroGraphWrites() {
        TenantSpec spec = spec(DEMO);
        apply(spec);
        long before = provisioner.writes();
        int wireWrites = standIns.graph().writes().size();

        Plan again = apply(spec);

        assertThat(again.changes()).isEmpty();
        assertThat(again.unchanged()).isEqualTo(1 + 3 + 5 + 4 + 5 + 3 + 1 + 7);
        assertThat(provisioner.writes() - before).isZero();
        assertThat(standIns.graph().writes()).hasSize(wireWrites);
        assertThat(app("agent-reader").path("passwordCredentials")).hasSize(1);
        if (standIns.login().onDefaultPort()) {
            assertThat(standIns.login().tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void scenario03_whenAScopeDescriptionChangesThenItIsDisabledBeforeItIsChanged() {
        apply(spec(DEMO));
        TenantSpec changed = spec(DEMO.replace("description: write", "description: write things"));
        int before = standIns.graph().writes().size();

        Plan plan = provisioner.plan(changed);
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.PERMISSION_SCOPE, "mcp:write", List.of(
                        new FieldChange("description", "write", "write things"),
                        new FieldChange("userConsentDescription", "write", "write things"))),
                new Change.Update(ResourceType.APP_ROLE, "mcp:write",
                        List.of(new FieldChange("description", "write", "write things"))));
        List<String> writes = standIns.graph().writes().subList(before, standIns.graph().writes().size());
        assertThat(writes).hasSize(4);
        String scopeId = EntraNames.scopeId(REALM, "mcp:write").toString();
        assertThat(writes.get(0)).contains("\"id\":\"" + scopeId + "\"").contains("\"adminConsentDescription\":\"write\"")
                .containsPattern("\"" + scopeId + "\",\"value\":\"mcp:write\"[^}]*\"isEnabled\":false");
        assertThat(writes.get(1)).containsPattern("\"value\":\"mcp:write\"[^}]*\"adminConsentDescription\":\"write things\"[^}]*\"isEnabled\":true");
        assertThat(writes.get(2)).containsPattern("\"value\":\"mcp:write\"[^}]*\"description\":\"write\"[^}]*\"isEnabled\":false");
        assertThat(writes.get(3)).containsPattern("\"value\":\"mcp:write\"[^}]*\"description\":\"write things\"[^}]*\"isEnabled\":true");
        assertThat(provisioner.plan(changed).changes()).isEmpty();
    }

    @Test
    void scenario04_whenObjectsLeaveTheSpecThenOnlyOwnedOnesAreDeleted() {
        apply(spec(DEMO));
        ObjectNode foreign = standIns.graph().seedForeignApplication("agent-writer", "not-ours");
        ObjectNode handMadeScope = ((com.fasterxml.jackson.databind.node.ArrayNode) app("mcp-server").path("api")
                .path("oauth2PermissionScopes")).addObject();
        handMadeScope.put("id", UUID.randomUUID().toString()).put("value", "mcp:legacy").put("isEnabled", true)
                .put("type", "User").put("adminConsentDescription", "kept").put("adminConsentDisplayName", "kept");
        TenantSpec smaller = spec(DEMO
                .replace("      - name: mcp:admin\n        description: admin\n", "")
                .replace("      - clientId: agent-writer\n        type: agent\n        scopes: [mcp:read, mcp:write]\n", "")
                .replace("scopes: [mcp:read, mcp:write, mcp:admin]", "scopes: [mcp:read, mcp:write]"));

        Plan plan = provisioner.plan(smaller);

        assertThat(plan.changes()).filteredOn(c -> c instanceof Change.Delete).containsExactly(
                new Change.Delete(ResourceType.APP_ROLE_ASSIGNMENT, "agent-admin: mcp:admin"),
                new Change.Delete(ResourceType.APPLICATION, "agent-writer"),
                new Change.Delete(ResourceType.APP_ROLE, "mcp:admin"),
                new Change.Delete(ResourceType.PERMISSION_SCOPE, "mcp:admin"));
        assertThat(plan.changes()).filteredOn(c -> c instanceof Change.Update).extracting(Change::type, Change::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ResourceType.APPLICATION, "agent-admin"),
                        org.assertj.core.groups.Tuple.tuple(ResourceType.APPLICATION, "mcp-inspector"),
                        org.assertj.core.groups.Tuple.tuple(ResourceType.PERMISSION_GRANT, "mcp-inspector"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());

        assertThat(standIns.graph().application(EntraNames.uniqueName(REALM, "agent-writer"))).isEmpty();
        assertThat(standIns.graph().applications).containsKey(foreign.path("id").asText());
        assertThat(values(app("mcp-server").path("api").path("oauth2PermissionScopes")))
                .containsExactly("mcp:read", "mcp:write", "mcp:legacy");
        assertThat(values(app("mcp-server").path("appRoles"))).containsExactly("mcp:read", "mcp:write", "reader", "admin");
        assertThat(standIns.graph().servicePrincipals).hasSize(4);
        assertThat(provisioner.plan(smaller).changes()).isEmpty();
    }

    @Test
    void scenario05_whenGraphIsSlowToReplicateOrThrottlesThenApplyRetriesAndConverges() {
        TenantSpec spec = spec(DEMO);
        GraphStandIn graph = standIns.graph();
        graph.fail("PATCH", "applications/[0-9a-f-]{36}", 404, null, 2);
        graph.fail("POST", "servicePrincipals", 429, "7", 1);
        graph.fail("POST", "servicePrincipals/.*/appRoleAssignedTo", 404, null, 1);
        graph.fail("POST", "applications/.*/addPassword", 503, null, 1);
        graph.fail("GET", "applications\\(uniqueName=.*\\)", 503, "1", 1);

        Plan plan = apply(spec);

        assertThat(provisioner.plan(spec).changes()).isEmpty();
        assertThat(provisioner.writes()).isEqualTo(plan.changes().size());
        assertThat(standIns.waits()).hasSize(6).contains(Duration.ofSeconds(7), Duration.ofSeconds(1));
        assertThat(standIns.waits()).allMatch(w -> w.compareTo(Duration.ofSeconds(30)) <= 0);
        assertThat(secrets).hasSize(3);
        assertThat(app("agent-reader").path("passwordCredentials")).hasSize(1);
    }

    @Test
    void scenario05b_whenGraphKeepsThrottlingThenApplyGivesUpAfterTheBoundedAttempts() {
        standIns.graph().fail("PATCH", "applications\\(uniqueName=.*\\)", 429, "2", 100);

        assertThatThrownBy(() -> apply(spec(DEMO)))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("create or update application mcp-server: Graph answered HTTP 429 TooManyRequests")
                .hasMessageContaining("gave up after 6 attempts");
        assertThat(standIns.waits()).hasSize(5).allMatch(w -> w.equals(Duration.ofSeconds(2)));
    }

    @Test
    void whenGraphRefusesARequestThenItsErrorCodeAndMessageAreShownWithoutRetrying() {
        standIns.graph().fail("POST", "servicePrincipals", 403, null, 1);

        assertThatThrownBy(() -> apply(spec(DEMO)))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("create service principal of mcp-server: Graph answered HTTP 403 Authorization_RequestDenied: "
                        + "Injected by the stand-in")
                .hasMessageContaining("request-id");
        assertThat(standIns.waits()).isEmpty();
    }

    @Test
    void whenAScopeAndARoleShareANameThenPlanFailsBeforeAnyWrite() {
        TenantSpec clash = spec(DEMO.replace("      - name: reader\n", "      - name: mcp:read\n")
                .replace("roles: [reader]", "roles: [mcp:read]"));

        assertThatThrownBy(() -> provisioner.plan(clash)).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("scope and role 'mcp:read'");
        assertThat(standIns.graph().writes()).isEmpty();
    }

    // ---- role-gated scopes (Graph STAND-IN, not Microsoft) ----

    /** The demo with mcp:write and mcp:admin gated to admin; mcp:read stays open. */
    private static String gated() {
        return DEMO
                .replace("        description: write\n", "        description: write\n        roles: [admin]\n")
                .replace("        description: admin\n", "        description: admin\n        roles: [admin]\n");
    }

    private JsonNode appRole(String value) {
        for (JsonNode role : app("mcp-server").path("appRoles")) {
            if (role.path("value").asText().equals(value)) {
                return role;
            }
        }
        throw new AssertionError("no app role " + value);
    }

    @Test
    void scenario06_whenScopesAreRoleGatedThenTheyAreAppRolesOnlyAndAssignedToTheirRoleHolders() {
        TenantSpec spec = spec(gated());

        apply(spec);

        assertThat(values(app("mcp-server").path("api").path("oauth2PermissionScopes"))).containsExactly("mcp:read");
        assertThat(appRole("mcp:admin").path("allowedMemberTypes").toString()).isEqualTo("[\"Application\",\"User\"]");
        assertThat(appRole("mcp:read").path("allowedMemberTypes").toString()).isEqualTo("[\"Application\"]");
        // agent-writer may ask for mcp:write but holds no role: like Keycloak, it does not get it.
        String writer = standIns.graph().servicePrincipals.values().stream()
                .filter(sp -> sp.path("appId").asText().equals(app("agent-writer").path("appId").asText()))
                .findFirst().orElseThrow().path("id").asText();
        assertThat(standIns.graph().assignments.values().stream().filter(a -> a.path("principalId").asText().equals(writer))
                .map(a -> a.path("appRoleId").asText()).toList())
                .containsExactly(EntraNames.scopeRoleId(REALM, "mcp:read").toString());
        assertThat(standIns.graph().assignments).hasSize(1 + 1 + 4);
        assertThat(standIns.graph().grants.values()).singleElement()
                .satisfies(g -> assertThat(g.path("scope").asText()).isEqualTo("mcp:read"));
        long before = provisioner.writes();
        assertThat(apply(spec).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario07_whenAScopeBecomesGatedThenItsDelegatedScopeIsDisabledFirstThenRemoved() {
        apply(spec(DEMO));
        int before = standIns.graph().writes().size();
        TenantSpec spec = spec(gated());

        Plan plan = provisioner.plan(spec);
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());

        assertThat(plan.changes()).contains(new Change.Delete(ResourceType.PERMISSION_SCOPE, "mcp:admin"),
                new Change.Delete(ResourceType.PERMISSION_SCOPE, "mcp:write"),
                new Change.Delete(ResourceType.APP_ROLE_ASSIGNMENT, "agent-writer: mcp:write"));
        assertThat(plan.changes()).filteredOn(c -> c.type() == ResourceType.APP_ROLE).extracting(Change::name)
                .containsExactly("mcp:write", "mcp:admin");
        String adminScope = EntraNames.scopeId(REALM, "mcp:admin").toString();
        List<String> writes = standIns.graph().writes().subList(before, standIns.graph().writes().size());
        int disabled = -1;
        int removed = -1;
        for (int i = 0; i < writes.size(); i++) {
            if (disabled < 0 && writes.get(i).matches("(?s).*\"" + adminScope + "\",\"value\":\"mcp:admin\"[^}]*\"isEnabled\":false.*")) {
                disabled = i;
            } else if (disabled >= 0 && writes.get(i).contains("oauth2PermissionScopes") && !writes.get(i).contains(adminScope)) {
                removed = i;
                break;
            }
        }
        assertThat(disabled).as("the delegated scope is disabled before it is removed").isNotNegative();
        assertThat(removed).isGreaterThan(disabled);
        assertThat(values(app("mcp-server").path("api").path("oauth2PermissionScopes"))).containsExactly("mcp:read");
        long again = provisioner.writes();
        assertThat(apply(spec).changes()).isEmpty();
        assertThat(provisioner.writes() - again).isZero();
    }

    private List<String> assignedTo(String clientId) {
        String principal = standIns.graph().servicePrincipals.values().stream()
                .filter(sp -> sp.path("appId").asText().equals(app(clientId).path("appId").asText()))
                .findFirst().orElseThrow().path("id").asText();
        return standIns.graph().assignments.values().stream().filter(a -> a.path("principalId").asText().equals(principal))
                .map(a -> a.path("appRoleId").asText()).toList();
    }

    @Test
    void scenario08_whenARoleIncludesAnotherThenAgentsHoldingItAreAssignedBothAndTheScopesTheIncludedOneGates() {
        // admin includes reader and mcp:read is gated to reader: Entra app roles have no composites, so agent-admin
        // (admin) is assigned reader too, and holds mcp:read through it.
        TenantSpec spec = spec(DEMO.replace("      - name: admin\n", "      - name: admin\n        includes: [reader]\n")
                .replace("        description: read\n", "        description: read\n        roles: [reader]\n"));

        apply(spec);

        assertThat(assignedTo("agent-admin")).containsExactlyInAnyOrder(
                EntraNames.scopeRoleId(REALM, "mcp:read").toString(), EntraNames.scopeRoleId(REALM, "mcp:write").toString(),
                EntraNames.scopeRoleId(REALM, "mcp:admin").toString(), EntraNames.roleId(REALM, "admin").toString(),
                EntraNames.roleId(REALM, "reader").toString());
        assertThat(assignedTo("agent-reader")).isEmpty();
        assertThat(app("agent-admin").path("requiredResourceAccess").get(0).path("resourceAccess").toString())
                .contains(EntraNames.roleId(REALM, "reader").toString());
        long before = provisioner.writes();
        assertThat(apply(spec).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario09_whenScopesImplyOthersThenGraphHoldsNothingOfItAndThePlanIsTheSame() {
        // Entra has no scope hierarchies: the MCP server applies implies itself, so the plan must not change at all
        TenantSpec flat = spec(DEMO);
        TenantSpec hierarchy = spec(DEMO.replace("        description: write\n", "        description: write\n"
                + "        implies: [mcp:read]\n").replace("        description: admin\n", "        description: admin\n"
                + "        implies: [mcp:write]\n"));
        assertThat(hierarchy.scopeHierarchy().entries()).containsExactly("mcp:write > mcp:read", "mcp:admin > mcp:write");

        assertThat(provisioner.plan(hierarchy).changes()).isEqualTo(provisioner.plan(flat).changes());

        apply(flat);
        long before = provisioner.writes();
        int wireWrites = standIns.graph().writes().size();
        assertThat(apply(hierarchy).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
        assertThat(standIns.graph().writes()).hasSize(wireWrites);
    }

    private static final String VS_CODE = "aebc6443-996d-45c2-90f0-388ff96faa56";

    @Test
    void scenario10_whenTheServerPreAuthorizesAClientThenItsAppIdGetsTheDelegatedScopesAfterTheyExist() {
        TenantSpec spec = spec(DEMO.replace("      clientId: mcp-server\n", "      clientId: mcp-server\n"
                + "      preAuthorizedClients: [" + VS_CODE + "]\n"));

        Plan plan = apply(spec);

        ObjectNode api = app("mcp-server");
        assertThat(api.path("api").path("preAuthorizedApplications")).singleElement().satisfies(entry -> {
            assertThat(entry.path("appId").asText()).isEqualTo(VS_CODE);
            assertThat(entry.path("delegatedPermissionIds").toString()).contains(
                    EntraNames.scopeId(REALM, "mcp:read").toString(), EntraNames.scopeId(REALM, "mcp:admin").toString());
        });
        // Graph accepts only permission ids already stored: the scopes are written before the pre-authorization.
        List<String> writes = standIns.graph().writes();
        int scopes = indexOf(writes, "\"oauth2PermissionScopes\":[{");
        int preAuthorized = indexOf(writes, VS_CODE);
        assertThat(scopes).isNotNegative().isLessThan(preAuthorized);
        assertThat(plan.changes()).contains(new Change.Create(ResourceType.PRE_AUTHORIZED_APPLICATION, VS_CODE,
                List.of(new FieldChange("delegatedPermissions", "", "mcp:admin, mcp:read, mcp:write"))));
        assertThat(provisioner.plan(spec).changes()).isEmpty();
    }

    @Test
    void scenario11_whenAPreAuthorizedClientLeavesTheSpecThenOnlyItsEntryGoes() {
        TenantSpec with = spec(DEMO.replace("      clientId: mcp-server\n", "      clientId: mcp-server\n"
                + "      preAuthorizedClients: [" + VS_CODE + "]\n"));
        apply(with);
        // Someone pre-authorized the Azure CLI for a scope of their own on the same API: not this tool's to remove.
        String foreign = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
        String handMade = UUID.randomUUID().toString();
        ObjectNode api = (ObjectNode) app("mcp-server").path("api");
        ((com.fasterxml.jackson.databind.node.ArrayNode) api.path("oauth2PermissionScopes")).addObject()
                .put("id", handMade).put("value", "mcp:legacy").put("isEnabled", true).put("type", "User")
                .put("adminConsentDescription", "kept").put("adminConsentDisplayName", "kept");
        ((com.fasterxml.jackson.databind.node.ArrayNode) api.path("preAuthorizedApplications"))
                .addObject().put("appId", foreign).putArray("delegatedPermissionIds").add(handMade);

        Plan plan = apply(spec(DEMO));

        assertThat(plan.changes()).containsExactly(new Change.Delete(ResourceType.PRE_AUTHORIZED_APPLICATION, VS_CODE));
        assertThat(app("mcp-server").path("api").path("preAuthorizedApplications")).singleElement()
                .satisfies(entry -> assertThat(entry.path("appId").asText()).isEqualTo(foreign));
    }

    @Test
    void scenario12_whenTheMcpUrlIsNotOnAVerifiedDomainThenGraphsRefusalStopsTheApplyAndNoApiIsLeft() {
        TenantSpec spec = spec(DEMO.replace("https://mcp.example.test/mcp", "https://mcp.unverified.test/mcp"));

        assertThatThrownBy(() -> apply(spec)).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("HostNameNotOnVerifiedDomain")
                .hasMessageContaining("https://mcp.unverified.test/mcp");
        assertThat(standIns.graph().application(EntraNames.uniqueName(REALM, "mcp-server"))).isEmpty();
    }

    @Test
    void scenario13_whenTheApiStillHasTheOldApiAppIdDefaultThenTheCanonicalUrlReplacesItAndOthersStay() {
        apply(spec(DEMO));
        ObjectNode api = app("mcp-server");
        String appId = api.path("appId").asText();
        api.putArray("identifierUris").add("api://" + appId).add("api://" + EntraStandIns.TENANT + "/legacy");

        Plan plan = apply(spec(DEMO.replace("https://mcp.example.test/mcp", "https://MCP.example.test/mcp/")));

        assertThat(plan.changes()).containsExactly(new Change.Update(ResourceType.APPLICATION, "mcp-server",
                List.of(new FieldChange("identifierUris", FieldChange.list(List.of("api://" + appId,
                        "api://" + EntraStandIns.TENANT + "/legacy")), "https://mcp.example.test/mcp"))));
        assertThat(app("mcp-server").path("identifierUris").toString())
                .isEqualTo("[\"https://mcp.example.test/mcp\",\"api://" + EntraStandIns.TENANT + "/legacy\"]");
    }

    private static int indexOf(List<String> writes, String part) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
