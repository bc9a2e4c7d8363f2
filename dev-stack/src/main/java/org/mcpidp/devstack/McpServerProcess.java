package org.mcpidp.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mcpidp.testkit.HealthWait;
import org.mcpidp.testkit.WatchedProcess;

/** helidon-mcp-server as a child process ({@code java -jar}), configured through its environment variables. */
final class McpServerProcess implements AutoCloseable {

    private final WatchedProcess process;
    private final String baseUrl;

    private McpServerProcess(WatchedProcess process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the server in introspection mode against {@code issuer} and waits until it is ready (every issuer's
     * metadata loaded).
     */
    /** Browser origins allowed to call the dev stack's server: the MCP Inspector's page on its default port. */
    static final String INSPECTOR_ORIGINS = "http://localhost:6274,http://127.0.0.1:6274";

    static McpServerProcess start(Path jar, int port, String resource, String issuer, String clientId,
                                  String clientSecret, Path logFile, Consumer<Duration> progress) {
        if (!Files.isRegularFile(jar)) {
            throw new StartupException("no MCP server jar at " + jar + ": build it with ./mvnw -q -DskipTests "
                    + "-pl helidon-mcp-server -am package (./dev-stack.sh does that).");
        }
        Map<String, String> env = Map.of(
                "SERVER_HOST", "127.0.0.1",
                // The MCP Inspector calls the server from its page (origin http://localhost:6274): CORS for it only.
                "MCP_ALLOWED_ORIGINS", INSPECTOR_ORIGINS,
                "SERVER_PORT", Integer.toString(port),
                "MCP_RESOURCE", resource,
                "MCP_AUTH_ISSUERS_0_URL", issuer,
                "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", clientId,
                // The environment, not an argument: arguments are visible to every user in ps.
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", clientSecret);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        WatchedProcess process = WatchedProcess.start("mcp-server", List.of(java, "-jar", jar.toString()),
                jar.getParent(), env, logFile);
        McpServerProcess server = new McpServerProcess(process, "http://127.0.0.1:" + port);
        try {
            HealthWait.untilUp(server.baseUrl + "/observe/health/ready", Duration.ofSeconds(90), process::isAlive,
                    progress, () -> "the MCP server did not become ready. Last lines of " + logFile + ":\n"
                            + process.logTail(40));
        } catch (RuntimeException e) {
            server.close();
            throw new StartupException(e.getMessage(), e);
        }
        return server;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
