package org.mcpidp.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mcpidp.provisioning.spec.InvalidSpecException;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The demo tenant's shape for the provisioning scenarios of every target (Keycloak and the Entra stand-ins), written
 * once so the targets are tested against the same tenant. It is realm-exports/demo-tenant.yaml cut down to what the
 * scenarios edit by text replacement (one user, two roles, short descriptions): tests that need the whole file read
 * the file itself.
 */
public final class DemoTenantFixture {

    private DemoTenantFixture() {
    }

    /**
     * The clients every test tenant ends its list with, as lines of a tenant's {@code clients:}: an agent with all
     * scopes and the admin role, and the MCP Inspector as the interactive client.
     */
    public static final String ADMIN_AGENT_AND_INSPECTOR = """
                  - clientId: agent-admin
                    type: agent
                    scopes: [mcp:read, mcp:write, mcp:admin]
                    roles: [admin]
                  - clientId: mcp-inspector
                    type: interactive
                    scopes: [mcp:read, mcp:write, mcp:admin]
                    redirectUris: [http://localhost:6274/oauth/callback]
            """;

    /**
     * The demo orders API as a tenant's {@code downstream:} (unindented: indent it under a tenant), its one scope
     * {@code orders:read} exchangeable from {@code mcp:read}; more scope entries may follow it.
     */
    public static final String ORDERS_API = """
            downstream:
              - clientId: orders-api
                description: The demo orders API
                url: http://127.0.0.1:8090
                scopes:
                  - name: orders:read
                    description: Read orders
                    from: [mcp:read]
            """;

    /**
     * The first lines of a one-tenant spec: its realm and a resource server at {@code http://127.0.0.1:8080/mcp};
     * the tenant's scopes and the rest follow at its indentation.
     */
    public static String tenantHead(String realm) {
        return """
                tenants:
                  - realm: %s
                    resource:
                      url: http://127.0.0.1:8080/mcp
                      clientId: mcp-server
                """.formatted(realm);
    }

    /** The demo tenant under {@code realm}, its resource server at {@code resourceUrl}. */
    public static String demo(String realm, String resourceUrl) {
        return """
                tenants:
                  - realm: %s
                    accessTokenLifespan: 300
                    resource:
                      url: %s
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
                %s
                    users:
                      - username: alice
                        email: alice@example.test
                        roles: [reader]
                """.formatted(realm, resourceUrl, ADMIN_AGENT_AND_INSPECTOR.stripTrailing());
    }

    /** Plans {@code spec} and applies that plan, its secrets to {@code secrets}: what each scenario step does. */
    public static Plan apply(Provisioner provisioner, TenantSpec spec, SecretSink secrets) {
        Plan plan = provisioner.plan(spec);
        provisioner.apply(plan, secrets, ApplyListener.silent());
        return plan;
    }

    /** Loads {@code yaml} (written to a file in {@code dir}) as the one tenant it holds, target-neutral rules only. */
    public static TenantSpec tenant(Path dir, String yaml) {
        return tenant(dir, yaml, Map.of());
    }

    /** As {@link #tenant(Path, String)}, with {@code env} for {@code ${NAME}} substitution. */
    public static TenantSpec tenant(Path dir, String yaml, Map<String, String> env) {
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
