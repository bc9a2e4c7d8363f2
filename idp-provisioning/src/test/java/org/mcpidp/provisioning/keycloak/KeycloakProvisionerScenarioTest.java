package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Numbered scenarios against a real Keycloak. Each test provisions its own random realm and deletes it, so the
 * order they run in does not matter.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakProvisionerScenarioTest {

    @TempDir
    Path dir;

    private KeycloakServer server;
    private KeycloakProvisioner provisioner;
    private final String realm = TenantFixture.randomRealm();
    private final Map<String, String> secrets = new HashMap<>();

    @BeforeEach
    void connect(KeycloakServer server) {
        this.server = server;
        provisioner = TenantFixture.provisioner(server);
    }

    @AfterEach
    void cleanUp() {
        try {
            server.admin().delete("/" + realm);
        } catch (RuntimeException alreadyGone) {
            // the scenario may never have created it
        }
        provisioner.close();
    }

    private TenantSpec spec(String yaml) {
        return TenantFixture.tenant(dir, yaml);
    }

    private Plan apply(TenantSpec spec) {
        Plan plan = provisioner.plan(spec);
        provisioner.apply(plan, secrets::put, ApplyListener.silent());
        return plan;
    }

    @Test
    void scenario01_whenRealmIsNewThenApplyCreatesEverythingAndConverges() {
        TenantSpec spec = spec(TenantFixture.demo(realm));

        Plan plan = apply(spec);

        assertThat(plan.changes()).allMatch(c -> c instanceof Change.Create);
        assertThat(plan.changes()).extracting(Change::type).startsWith(ResourceType.REALM);
        assertThat(plan.unchanged()).isZero();
        assertThat(provisioner.plan(spec).changes()).isEmpty();
        JsonNode inspector = server.admin().get("/" + realm + "/clients?clientId=mcp-inspector").get(0);
        assertThat(inspector.get("publicClient").asBoolean()).isTrue();
        assertThat(inspector.get("attributes").get("pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(secrets).containsOnlyKeys("MCP_SERVER_SECRET", "AGENT_READER_SECRET", "AGENT_WRITER_SECRET",
                "AGENT_ADMIN_SECRET", "ALICE_PASSWORD");
        List<String> scopes = new ArrayList<>();
        server.admin().get("/" + realm + "/client-scopes").forEach(s -> scopes.add(s.get("name").asText()));
        assertThat(scopes).contains("profile", "email", "roles", "web-origins", "acr", "basic", "mcp:read");
    }

    @Test
    void scenario02_whenSpecIsUnchangedThenReapplyMakesZeroWrites() {
        TenantSpec spec = spec(TenantFixture.demo(realm));
        apply(spec);
        long before = provisioner.writes();

        Plan again = apply(spec);

        assertThat(again.changes()).isEmpty();
        assertThat(again.unchanged()).isEqualTo(16);
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario03_whenOneScopeAndOneClientChangeThenOnlyThoseAreUpdated() {
        apply(spec(TenantFixture.demo(realm)));
        TenantSpec changed = spec(TenantFixture.demo(realm)
                .replace("description: write", "description: write things")
                .replace("scopes: [mcp:read]\n      - clientId: agent-writer", "scopes: [mcp:read, mcp:write]\n      - clientId: agent-writer"));

        Plan plan = provisioner.plan(changed);

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.CLIENT_SCOPE, "mcp:write",
                        List.of(new FieldChange("description", "write", "write things"))),
                new Change.Update(ResourceType.CLIENT, "agent-reader",
                        List.of(new FieldChange("optionalScopes", "mcp:read", "mcp:read, mcp:write"))));
        long before = provisioner.writes();
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(provisioner.writes() - before).isEqualTo(2);
        assertThat(provisioner.plan(changed).changes()).isEmpty();
    }

    @Test
    void scenario04_whenObjectsLeaveTheSpecThenOnlyOwnedOnesAreDeleted() {
        String withExtras = TenantFixture.demo(realm)
                .replace("      - name: admin\n", "      - name: admin\n      - name: old-role\n")
                .replace("    users:\n", """
                          - clientId: agent-old
                            type: agent
                        users:
                          - username: carol
                    """)
                .replace("    users:\n      - username: carol\n", "    users:\n      - username: carol\n        roles: [old-role]\n");
        apply(spec(withExtras));
        server.admin().post("/" + realm + "/roles", Map.of("name", "hand-made-role"));
        server.admin().post("/" + realm + "/users", Map.of("username", "dave", "enabled", true));

        Plan plan = provisioner.plan(spec(TenantFixture.demo(realm)));

        assertThat(plan.changes()).containsExactly(
                new Change.Delete(ResourceType.USER, "carol"),
                new Change.Delete(ResourceType.CLIENT, "agent-old"),
                new Change.Delete(ResourceType.ROLE, "old-role"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(server.admin().get("/" + realm + "/roles/hand-made-role").get("name").asText()).isEqualTo("hand-made-role");
        assertThat(server.admin().get("/" + realm + "/users?username=dave&exact=true")).hasSize(1);
        assertThat(server.admin().get("/" + realm + "/users?username=carol&exact=true")).isEmpty();
    }

    @Test
    void scenario05_whenAClientIsUserMadeThenItSurvivesAndIsNotPlanned() {
        TenantSpec spec = spec(TenantFixture.demo(realm));
        apply(spec);
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "hand-made", "publicClient", true));

        Plan plan = provisioner.plan(spec(TenantFixture.demo(realm).replace("      - clientId: agent-writer\n        type: agent\n        scopes: [mcp:read, mcp:write]\n", "")));

        assertThat(plan.changes()).containsExactly(new Change.Delete(ResourceType.CLIENT, "agent-writer"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(server.admin().get("/" + realm + "/clients?clientId=hand-made")).hasSize(1);
    }

    @Test
    void scenario06_whenApplyIsInterruptedThenReapplyConverges() {
        TenantSpec spec = spec(TenantFixture.demo(realm));
        Plan plan = provisioner.plan(spec);
        provisioner.gatewayForTests().writeBudget(9);

        assertThatThrownBy(() -> provisioner.apply(plan, secrets::put, ApplyListener.silent()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("write budget exhausted");
        provisioner.gatewayForTests().writeBudget(Long.MAX_VALUE / 2);

        Plan resumed = provisioner.plan(spec);
        assertThat(resumed.changes()).isNotEmpty().noneMatch(c -> c.type() == ResourceType.REALM);
        provisioner.apply(resumed, secrets::put, ApplyListener.silent());
        assertThat(provisioner.plan(spec).changes()).isEmpty();
        assertThat(provisioner.plan(spec).unchanged()).isEqualTo(16);
    }
}
