package org.mcpidp.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The cluster run's legacy-era clients: the MCP TypeScript SDK 1.32.2 (it speaks 2025-11-25: initialize, then requests
 * in the session) in the script src/main/node/cluster-clients.mjs, installed with exactly what its package-lock.json
 * pins, run as a child process that reports JSON on stdout.
 */
record NodeClients(Path dir, String issuer, String clientId, String secret) {

    static Path install(Path work) throws Exception {
        Path dir = work.resolve("node");
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "cluster-clients.mjs")) {
            Files.copy(Path.of("benchmarks", "src", "main", "node", file), dir.resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ClusterRun.require(npm.waitFor() == 0, "npm ci failed in " + dir + ":\n" + out);
        }
        return dir;
    }

    /**
     * Starts {@code clients} SDK clients calling {@code tool} (no arguments) for {@code duration}; the future holds the
     * script's JSON report.
     */
    Future<JsonNode> start(String mcpUrl, int clients, String tool, Duration duration, Path readyFile)
            throws Exception {
        Files.deleteIfExists(readyFile);
        ProcessBuilder builder = new ProcessBuilder("node", "cluster-clients.mjs").directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(Map.of("MCP_URL", mcpUrl, "ISSUER", issuer, "CLIENT_ID", clientId,
                "CLIENT_SECRET", secret, "SCOPE", ClusterRun.SCOPES, "TOOL", tool,
                "CLIENTS", Integer.toString(clients), "DURATION_MS", Long.toString(duration.toMillis()),
                "READY_FILE", readyFile.toString()));
        Process process = builder.start();
        CompletableFuture<JsonNode> report = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                ClusterRun.require(process.waitFor() == 0, "the SDK clients exited with " + process.exitValue() + ": "
                        + out);
                report.complete(new ObjectMapper().readTree(out));
            } catch (Exception e) {
                report.completeExceptionally(e);
            }
        });
        return report;
    }

    /** Waits until every client made its first call (the script writes the ready file), or fails. */
    static void awaitReady(Future<JsonNode> clients, Path ready, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(ready)) {
            if (clients.isDone()) {
                throw new IllegalStateException("cluster: the SDK clients ended before they were ready: "
                        + clients.get());
            }
            ClusterRun.require(System.nanoTime() < end, "the SDK clients were not ready within " + timeout);
            Thread.sleep(100);
        }
    }
}
