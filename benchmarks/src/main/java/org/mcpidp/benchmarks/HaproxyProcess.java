package org.mcpidp.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mcpidp.runtime.WatchedProcess;

/**
 * A real HAProxy (the Debian package) running one of the kit's configurations from {@code deploy/haproxy/} verbatim,
 * foreground ({@code -db}), on 127.0.0.1: the listen address and the three server addresses travel in the
 * environment variables the configuration names. Started only once the balancer answers a health check through its
 * frontend, i.e. at least one server is up in HAProxy's eyes.
 */
final class HaproxyProcess implements AutoCloseable {

    private final WatchedProcess process;
    private final int port;

    private HaproxyProcess(WatchedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Runs {@code config} listening on {@code port} in front of {@code servers} (exactly three host:port values). */
    static HaproxyProcess start(Path config, int port, List<String> servers, Path log) throws Exception {
        if (servers.size() != 3) {
            throw new IllegalArgumentException("the configurations name three servers, got " + servers);
        }
        Path binary = List.of("/usr/sbin/haproxy", "/usr/bin/haproxy").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "HAProxy is needed for the cluster section: apt-get install haproxy (.ci/run does)"));
        Files.deleteIfExists(log);
        Map<String, String> env = Map.of("MCP_LISTEN", "127.0.0.1:" + port, "MCP_SERVER_1", servers.get(0),
                "MCP_SERVER_2", servers.get(1), "MCP_SERVER_3", servers.get(2));
        WatchedProcess process = WatchedProcess.start("haproxy",
                List.of(binary.toString(), "-db", "-f", config.toAbsolutePath().toString()),
                config.toAbsolutePath().getParent(), env, log);
        HaproxyProcess haproxy = new HaproxyProcess(process, port);
        try {
            haproxy.awaitServing(Duration.ofSeconds(30));
        } catch (RuntimeException | InterruptedException e) {
            haproxy.close();
            throw e;
        }
        return haproxy;
    }

    String mcpUrl() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private void awaitServing(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited:\n" + process.logTail(20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("HAProxy did not serve within " + timeout + ":\n" + process.logTail(20));
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
