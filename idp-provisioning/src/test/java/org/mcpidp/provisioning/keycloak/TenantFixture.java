package org.mcpidp.provisioning.keycloak;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Keycloak test helpers: a random realm name, a provisioner as the test server's admin, the people tenant. The demo
 * tenant and the spec loader are {@link org.mcpidp.provisioning.DemoTenantFixture}, shared with the Entra scenarios.
 */
final class TenantFixture {

    private TenantFixture() {
    }

    static String randomRealm() {
        byte[] random = new byte[5];
        ThreadLocalRandom.current().nextBytes(random);
        return "p-" + HexFormat.of().formatHex(random);
    }

    static KeycloakProvisioner provisioner(KeycloakServer server) {
        return KeycloakProvisioner.connect(new KeycloakConnection(server.baseUrl(), "master", "admin-cli",
                Optional.empty(), Optional.of(server.adminUser()), Optional.of(server.adminPassword())));
    }

    /**
     * People: each scope gated by the one role that grants it (read by reader, write by writer, admin by admin), higher
     * roles including the lower ones (admin includes writer includes reader), three users (alice reader, carol writer,
     * bob admin) with given passwords, agents holding the roles, and
     * {@code registration} YAML (may be empty) appended inside the tenant.
     */
    static String people(String realm, String registration) {
        return DemoTenantFixture.tenantHead(realm) + """
                    scopes:
                      - name: mcp:read
                        roles: [reader]
                      - name: mcp:write
                        roles: [writer]
                      - name: mcp:admin
                        roles: [admin]
                    roles:
                      - name: reader
                      - name: writer
                        includes: [reader]
                      - name: admin
                        includes: [writer]
                    clients:
                      - clientId: agent-reader
                        type: agent
                        scopes: [mcp:read, mcp:write]
                        roles: [reader]
                %s
                    users:
                      - username: alice
                        email: alice@example.test
                        firstName: Alice
                        lastName: Reader
                        roles: [reader]
                        password: ${ALICE_PASSWORD}
                      - username: carol
                        email: carol@example.test
                        firstName: Carol
                        lastName: Writer
                        roles: [writer]
                        password: ${CAROL_PASSWORD}
                      - username: bob
                        email: bob@example.test
                        firstName: Bob
                        lastName: Admin
                        roles: [admin]
                        password: ${BOB_PASSWORD}
                %s""".formatted(DemoTenantFixture.ADMIN_AGENT_AND_INSPECTOR.stripTrailing(),
                registration.indent(4));
    }

    static final Map<String, String> PASSWORDS = Map.of("ALICE_PASSWORD", "alice-test-pw-7", "CAROL_PASSWORD",
            "carol-test-pw-7", "BOB_PASSWORD", "bob-test-pw-7");
}
