package org.mcpidp.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * helidon-mcp-server as a watched child process ({@code java [jvmArgs] -jar}) on 127.0.0.1, configured through its
 * environment variables (secrets travel there, never as arguments: arguments are visible to every user in ps), and
 * started only when its readiness endpoint answers 200 (every issuer's metadata loaded). The one starter for the dev
 * stack and the benchmarks.
 */
public final class McpServerProcess implements AutoCloseable {

    private final WatchedProcess process;
    private final int port;

    private McpServerProcess(WatchedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server from {@code jar} on {@code port} with {@code env} on top of this JVM's environment, output
     * appended to {@code logFile}, and waits up to {@code timeout} until it is ready, calling {@code progress} about
     * every 5 s.
     *
     * @throws IllegalStateException when the jar is missing, or the server exits or is not ready in time (the message
     *                               names the log and ends with its last lines); the process is stopped then
     */
    public static McpServerProcess start(Path jar, List<String> jvmArgs, Map<String, String> env, int port,
                                         Path logFile, Duration timeout, Consumer<Duration> progress) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no MCP server jar at " + jar);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        Map<String, String> all = new HashMap<>(env);
        all.put("SERVER_HOST", "127.0.0.1");
        all.put("SERVER_PORT", Integer.toString(port));
        Path directory = jar.toAbsolutePath().getParent();
        WatchedProcess process = WatchedProcess.start("mcp-server", command, directory, all, logFile);
        McpServerProcess server = new McpServerProcess(process, port);
        try {
            HealthWait.untilUp(server.baseUrl() + "/observe/health/ready", timeout, process::isAlive, progress,
                    () -> "the MCP server did not become ready. Last lines of " + logFile + ":\n"
                            + process.logTail(40));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String mcpUrl() {
        return baseUrl() + "/mcp";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** CPU time the server has used so far (user + system), for CPU-per-request figures; zero once it exited. */
    public Duration cpuTime() {
        return process.command().flatMap(handle -> handle.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** Stops the server (SIGTERM, then a kill after 15 s). Idempotent. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
