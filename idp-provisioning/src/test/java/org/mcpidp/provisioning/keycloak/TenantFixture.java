package org.mcpidp.provisioning.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.mcpidp.provisioning.spec.InvalidSpecException;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakServer;

/** Test helpers: a random realm name, a spec written from text, a provisioner as the test server's admin. */
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

    /** The demo tenant's shape under another realm name, with {@code extra} YAML appended inside the tenant. */
    static String demo(String realm) {
        return """
                tenants:
                  - realm: %s
                    accessTokenLifespan: 300
                    resource:
                      url: http://127.0.0.1:8080/mcp
                      clientId: mcp-server
                    scopes:
                      - name: mcp:read
                        description: read
                      - name: mcp:write
                        description: write
                      - name: mcp:admin
                        description: admin
                    roles:
                      - name: reader
                      - name: admin
                    clients:
                      - clientId: agent-reader
                        type: agent
                        scopes: [mcp:read]
                      - clientId: agent-writer
                        type: agent
                        scopes: [mcp:read, mcp:write]
                      - clientId: agent-admin
                        type: agent
                        scopes: [mcp:read, mcp:write, mcp:admin]
                        roles: [admin]
                      - clientId: mcp-inspector
                        type: interactive
                        scopes: [mcp:read]
                        redirectUris: [http://localhost:6274/oauth/callback]
                    users:
                      - username: alice
                        email: alice@example.test
                        roles: [reader]
                """.formatted(realm);
    }

    /**
     * People: scopes gated by roles (read for reader/writer/admin, write for writer/admin, admin for admin), three
     * users (alice reader, carol writer, bob admin) with given passwords, agents holding the roles, and
     * {@code registration} YAML (may be empty) appended inside the tenant.
     */
    static String people(String realm, String registration) {
        return """
                tenants:
                  - realm: %s
                    resource:
                      url: http://127.0.0.1:8080/mcp
                      clientId: mcp-server
                    scopes:
                      - name: mcp:read
                        roles: [reader, writer, admin]
                      - name: mcp:write
                        roles: [writer, admin]
                      - name: mcp:admin
                        roles: [admin]
                    roles:
                      - name: reader
                      - name: writer
                      - name: admin
                    clients:
                      - clientId: agent-reader
                        type: agent
                        scopes: [mcp:read, mcp:write]
                        roles: [reader]
                      - clientId: agent-admin
                        type: agent
                        scopes: [mcp:read, mcp:write, mcp:admin]
                        roles: [admin]
                      - clientId: mcp-inspector
                        type: interactive
                        scopes: [mcp:read, mcp:write, mcp:admin]
                        redirectUris: [http://localhost:6274/oauth/callback]
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
                %s""".formatted(realm, registration.indent(4));
    }

    static final Map<String, String> PASSWORDS = Map.of("ALICE_PASSWORD", "alice-test-pw-7", "CAROL_PASSWORD",
            "carol-test-pw-7", "BOB_PASSWORD", "bob-test-pw-7");

    static TenantSpec tenant(Path dir, String yaml) {
        return tenant(dir, yaml, Map.of());
    }

    static TenantSpec tenant(Path dir, String yaml, Map<String, String> env) {
        try {
            Path file = Files.writeString(Files.createTempFile(dir, "spec-", ".yaml"), yaml);
            return new SpecLoader(env).load(file).tenants().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
