package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mcpidp.testkit.KeycloakServer;

/**
 * A test class's demo setup: a fresh {@link DemoRealm} in the JVM's shared Keycloak and the real server trusting it
 * on a free port, started once before the class and closed after it. Register it with
 * {@code @RegisterExtension static final DemoServer demo = new DemoServer(overrides)}.
 */
final class DemoServer implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> overrides;
    DemoRealm realm;
    TestServer server;
    McpHttp mcp;

    /** {@code overrides} go on top of application.yaml, as in {@link TestServer#start}. */
    DemoServer(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        int port = TestServer.freePort();
        realm = DemoRealm.create(KeycloakServer.shared(), "http://127.0.0.1:" + port + "/mcp");
        server = TestServer.start(port, realm, overrides);
        mcp = new McpHttp(server.baseUrl + "/mcp");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        if (realm != null) {
            realm.close();
        }
    }
}
