package org.mcpidp.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo orders API ({@code orders-api/target/orders-api.jar}) as a watched child process on 127.0.0.1, trusting
 * {@code issuer}, started only when {@code /health} answers 200 (the issuer's keys loaded). The one starter for the
 * dev stack and the benchmarks, like {@link McpServerProcess}.
 */
public final class OrdersApiProcess implements AutoCloseable {

    private final WatchedProcess process;
    private final int port;

    private OrdersApiProcess(WatchedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the API from {@code jar} on {@code port}, output appended to {@code logFile}, and waits up to
     * {@code timeout}, calling {@code progress} about every 5 s.
     *
     * @throws IllegalStateException when the jar is missing, or the API exits or is not ready in time (the message
     *                               names the log and ends with its last lines); the process is stopped then
     */
    public static OrdersApiProcess start(Path jar, String issuer, int port, Path logFile, Duration timeout,
                                         Consumer<Duration> progress) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no orders API jar at " + jar + ": build it with ./mvnw -q -DskipTests "
                    + "-pl orders-api -am package");
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString());
        Map<String, String> env = new HashMap<>();
        env.put("ORDERS_API_HOST", "127.0.0.1");
        env.put("ORDERS_API_PORT", Integer.toString(port));
        env.put("ORDERS_API_ISSUER", issuer);
        WatchedProcess process = WatchedProcess.start("orders-api", command, jar.toAbsolutePath().getParent(), env,
                logFile);
        OrdersApiProcess api = new OrdersApiProcess(process, port);
        try {
            HealthWait.untilUp(api.baseUrl() + "/health", timeout, process::isAlive, progress,
                    () -> "the orders API did not become ready. Last lines of " + logFile + ":\n"
                            + process.logTail(40));
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** Stops the API (SIGTERM, then a kill after 15 s). Idempotent. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
