package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;

/**
 * The {@link ClusterRun}'s server instances: the demo jar started three times at once, each on a port of its own and
 * with a log of its own under the run's work folder, all with the same environment; and their addresses as the
 * balancer's server lines take them.
 */
final class ClusterInstances {

    private ClusterInstances() {
    }

    /** Starts three instances in parallel; when one does not start, closes the others and fails. */
    static List<McpServerProcess> start(Path jar, Path work, Map<String, String> env) throws Exception {
        List<Future<McpServerProcess>> starting = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int i = 1; i <= 3; i++) {
                Path log = work.resolve("server-" + i + ".log");
                Files.deleteIfExists(log);
                starting.add(pool.submit(() -> McpServerProcess.start(jar, List.of("-Xmx256m"), env, FreePort.find(),
                        log, Duration.ofSeconds(180), waited -> { })));
            }
        }
        List<McpServerProcess> servers = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<McpServerProcess> future : starting) {
            try {
                servers.add(future.get());
            } catch (ExecutionException e) {
                failure = new IllegalStateException("an instance did not start: " + e.getCause().getMessage());
            }
        }
        if (failure != null) {
            servers.forEach(McpServerProcess::close);
            throw failure;
        }
        return servers;
    }

    static List<String> addresses(List<McpServerProcess> servers) {
        return servers.stream().map(ClusterInstances::address).toList();
    }

    static String address(McpServerProcess server) {
        return "127.0.0.1:" + server.port();
    }
}
