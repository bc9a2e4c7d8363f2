package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * {@code realm-exports/demo-tenant.yaml} itself, applied to the real Keycloak under a random realm name: each scope maps
 * the one role that grants it and higher roles include the lower ones (granted explicitly), so people get the scopes
 * their roles allow and a token carries only the roles its scopes map. Tokens come from a password-grant client made
 * by hand for these tests only (the kit never makes one), with full scope disabled like every client the kit makes and
 * every self-registered one. The tests only read the realm, so they share it.
 */
@ExtendWith(KeycloakExtension.class)
class DemoTenantRolesTest {

    private static final String ALL = "mcp:read mcp:write mcp:admin";

    private static KeycloakServer server;
    private static String realm;
    private static SelfServiceEndpoints endpoints;

    @BeforeAll
    static void applyTheDemoTenant(KeycloakServer keycloak, @TempDir Path dir) throws Exception {
        server = keycloak;
        realm = TenantFixture.randomRealm();
        String demo = Files.readString(Path.of("../realm-exports/demo-tenant.yaml")).replace("realm: mcp-demo", "realm: " + realm);
        TenantSpec spec = DemoTenantFixture.tenant(dir, demo, TenantFixture.PASSWORDS);
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            DemoTenantFixture.apply(provisioner, spec, SecretSink.discard());
        }
        passwordGrantClient(realm);
        endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            server.admin().delete("/" + realm);
        }
    }

    /** Public, direct access grants, full scope disabled, the MCP scopes optional and {@code roles} a default scope. */
    private static void passwordGrantClient(String realm) {
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "ropc-test", "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false, "fullScopeAllowed", false,
                "defaultClientScopes", List.of("basic", "roles"),
                "optionalClientScopes", List.of("mcp:read", "mcp:write", "mcp:admin")));
    }

    private static SelfServiceEndpoints.Answer token(String user, String scope) {
        SelfServiceEndpoints.Answer answer = endpoints.passwordGrant("ropc-test", user,
                TenantFixture.PASSWORDS.get(user.toUpperCase() + "_PASSWORD"), scope);
        assertThat(answer.status()).as("%s asking for %s: %s", user, scope, answer.body().path("error_description").asText())
                .isEqualTo(200);
        return answer;
    }

    @Test
    void whenBobWhoIsAdminAsksOnlyForReadThenHisTokenCarriesReaderAndNotAdmin() {
        SelfServiceEndpoints.Answer bob = token("bob", "mcp:read");

        assertThat(bob.scopes()).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
        assertThat(bob.realmRoles()).containsExactly("reader");
    }

    @Test
    void whenBobAsksForAdminThenHisTokenCarriesAdminOnly() {
        SelfServiceEndpoints.Answer bob = token("bob", "mcp:admin");

        assertThat(bob.scopes()).contains("mcp:admin").doesNotContain("mcp:read", "mcp:write");
        assertThat(bob.realmRoles()).containsExactly("admin");
    }

    @Test
    void whenBobAsksForEveryScopeThenHeGetsThemAllThroughTheIncludedRoles() {
        SelfServiceEndpoints.Answer bob = token("bob", ALL);

        assertThat(bob.scopes()).contains("mcp:read", "mcp:write", "mcp:admin");
        assertThat(bob.realmRoles()).containsExactlyInAnyOrder("reader", "writer", "admin");
    }

    @Test
    void whenCarolWhoIsWriterAsksForEveryScopeThenSheGetsReadAndWriteButNotAdmin() {
        SelfServiceEndpoints.Answer carol = token("carol", ALL);

        assertThat(carol.scopes()).contains("mcp:read", "mcp:write").doesNotContain("mcp:admin");
        assertThat(carol.realmRoles()).containsExactlyInAnyOrder("reader", "writer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mcp:write", "mcp:admin", "mcp:write mcp:admin", ALL})
    void whenAliceWhoIsReaderAsksForAnythingThenSheNeverGetsWriteOrAdmin(String scope) {
        SelfServiceEndpoints.Answer alice = token("alice", scope);

        assertThat(alice.scopes()).doesNotContain("mcp:write", "mcp:admin");
        assertThat(alice.realmRoles()).doesNotContain("writer", "admin");
    }

    @Test
    void whenTheDemoTenantIsAppliedThenIncludedRolesAreGrantedExplicitlyAndNoRoleIsComposite() {
        assertThat(realmRoles("bob")).contains("admin", "writer", "reader");
        assertThat(realmRoles("carol")).contains("writer", "reader").doesNotContain("admin");
        assertThat(realmRoles("alice")).contains("reader").doesNotContain("writer", "admin");
        for (String role : List.of("reader", "writer", "admin")) {
            assertThat(server.admin().get("/" + realm + "/roles/" + role).path("composite").asBoolean()).as(role).isFalse();
        }
        for (String clientId : List.of("mcp-inspector", "agent-admin", "mcp-server")) {
            assertThat(server.admin().get("/" + realm + "/clients?clientId=" + clientId).get(0).path("fullScopeAllowed")
                    .asBoolean()).as(clientId).isFalse();
        }
    }

    private static List<String> realmRoles(String username) {
        String id = server.admin().get("/" + realm + "/users?exact=true&username=" + username).get(0).path("id").asText();
        List<String> names = new ArrayList<>();
        server.admin().get("/" + realm + "/users/" + id + "/role-mappings/realm").forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    /**
     * Why includes are not Keycloak composites (seen on 26.7.3): Keycloak expands a client scope's mapped roles through
     * composites before comparing them with the user's roles, so once someone makes {@code admin} include
     * {@code reader}, every reader gets {@code mcp:admin}. The next plan shows the composite and apply removes it.
     */
    @Test
    void whenSomeoneMakesAScopesRoleCompositeThenReadersGetTheScopeUntilTheNextApplyRemovesIt(@TempDir Path dir) {
        String people = TenantFixture.randomRealm();
        TenantSpec spec = DemoTenantFixture.tenant(dir, TenantFixture.people(people, ""), TenantFixture.PASSWORDS);
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            DemoTenantFixture.apply(provisioner, spec, SecretSink.discard());
            passwordGrantClient(people);
            SelfServiceEndpoints self = new SelfServiceEndpoints(server.baseUrl(), people);
            JsonNode reader = server.admin().get("/" + people + "/roles/reader");
            server.admin().post("/" + people + "/roles/admin/composites", List.of(reader));

            SelfServiceEndpoints.Answer opened = self.passwordGrant("ropc-test", "alice", "alice-test-pw-7", "mcp:admin");
            assertThat(opened.scopes()).as("Keycloak's own behaviour this design avoids").contains("mcp:admin");

            Plan plan = provisioner.plan(spec);
            assertThat(plan.changes()).containsExactly(new Change.Update(ResourceType.ROLE, "admin",
                    List.of(new FieldChange("composites", "reader", ""))));
            provisioner.apply(plan, SecretSink.discard(), (i, t, c) -> { });

            assertThat(server.admin().get("/" + people + "/roles/admin").path("composite").asBoolean()).isFalse();
            assertThat(self.passwordGrant("ropc-test", "alice", "alice-test-pw-7", "mcp:admin").scopes())
                    .doesNotContain("mcp:admin");
            assertThat(provisioner.plan(spec).changes()).isEmpty();
        } finally {
            server.admin().delete("/" + people);
        }
    }
}
