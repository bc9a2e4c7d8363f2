package org.mcpidp.mcpserver.people;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.keycloak.KeycloakConnection;
import org.mcpidp.provisioning.keycloak.KeycloakProvisioner;
import org.mcpidp.provisioning.spec.InvalidSpecException;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakServer;

/**
 * {@code realm-exports/demo-tenant.yaml}, provisioned into the test Keycloak by the idp-provisioning library (plan,
 * then apply, as the dev stack does) under a fresh realm name, so that runs never share a realm. The secrets the
 * test needs are given through the spec's {@code ${VAR}} environment map; the others (agent secrets) stay in
 * Keycloak. {@link #close()} deletes the realm.
 */
final class DemoTenant implements AutoCloseable {

    static final String SPEC = "../realm-exports/demo-tenant.yaml";
    static final String SERVER_CLIENT = "mcp-server";

    final String realm;
    final String issuer;
    final String serverSecret;
    final Map<String, String> passwords;
    private final KeycloakServer keycloak;

    private DemoTenant(KeycloakServer keycloak, String realm, String serverSecret, Map<String, String> passwords) {
        this.keycloak = keycloak;
        this.realm = realm;
        this.issuer = keycloak.issuer(realm);
        this.serverSecret = serverSecret;
        this.passwords = passwords;
    }

    /** Provisions the demo tenant for an MCP server whose resource URL is {@code mcpUrl}. */
    static DemoTenant provision(KeycloakServer keycloak, String mcpUrl, Path workDir)
            throws IOException, InvalidSpecException {
        String realm = "people-" + random(5);
        String demo = Files.readString(Path.of(SPEC));
        if (!demo.contains("realm: mcp-demo")) {
            throw new IllegalStateException(SPEC + " no longer names its realm 'realm: mcp-demo'; update this test");
        }
        Files.createDirectories(workDir);
        Path spec = Files.writeString(workDir.resolve("demo-tenant.yaml"), demo.replace("realm: mcp-demo", "realm: " + realm));
        String serverSecret = random(18);
        Map<String, String> passwords = Map.of("alice", random(12), "bob", random(12), "carol", random(12));
        Map<String, String> env = Map.of(
                "MCP_URL", mcpUrl,
                "MCP_SERVER_SECRET", serverSecret,
                "ALICE_PASSWORD", passwords.get("alice"),
                "BOB_PASSWORD", passwords.get("bob"),
                "CAROL_PASSWORD", passwords.get("carol"));
        List<TenantSpec> tenants = new SpecLoader(env).load(spec).tenants();
        if (tenants.size() != 1) {
            throw new IllegalStateException(SPEC + " holds " + tenants.size() + " tenants; this test provisions one");
        }
        KeycloakConnection connection = KeycloakConnection.fromEnv(keycloak.baseUrl(),
                Map.of("KEYCLOAK_ADMIN_USER", keycloak.adminUser(), "KEYCLOAK_ADMIN_PASSWORD", keycloak.adminPassword()));
        DemoTenant tenant = new DemoTenant(keycloak, realm, serverSecret, passwords);
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(connection)) {
            provisioner.apply(provisioner.plan(tenants.get(0)), SecretSink.discard(), (index, total, change) -> {
            });
        } catch (RuntimeException e) {
            tenant.close();
            throw e;
        }
        return tenant;
    }

    @Override
    public void close() {
        try {
            keycloak.admin().delete("/" + realm);
        } catch (RuntimeException alreadyGone) {
            // a failed provisioning may not have created it
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
