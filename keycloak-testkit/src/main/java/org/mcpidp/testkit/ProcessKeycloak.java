package org.mcpidp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak from the unpacked Maven Central distribution, run as a child process on free loopback ports.
 *
 * <p>The process is wrapped in a small shell watchdog that stops Keycloak when this JVM disappears, so even a
 * {@code kill -9} of the test JVM leaves no orphan. A normal exit stops it through a shutdown hook. The H2 file
 * database lives in its own directory, so {@link #stop()} followed by {@link #start()} keeps every realm (outage tests).
 */
final class ProcessKeycloak implements KeycloakBackend {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("keycloak.start.timeout.seconds", 180));

    /*
     * Runs kc.sh in the background and exits (taking Keycloak down) when the JVM with pid $1 is gone or on TERM.
     * $2 is kc.sh, the rest its arguments.
     */
    private static final String WATCHDOG = """
            jvm=$1; shift
            kcsh=$1; shift
            bash "$kcsh" "$@" &
            kc=$!
            trap 'kill -TERM $kc 2>/dev/null; wait $kc; exit 0' TERM INT
            while kill -0 "$jvm" 2>/dev/null && kill -0 "$kc" 2>/dev/null; do sleep 1; done
            kill -TERM $kc 2>/dev/null
            wait $kc
            """;

    private final Path home;
    private final int httpPort = FreePort.find();
    private final int managementPort = FreePort.find();
    private final String adminPassword = randomPassword();
    private final Path workDir;
    private final Path logFile;
    private final List<String> extraArgs;
    private final Map<String, String> extraEnv;
    private final Thread stopOnExit = new Thread(this::stop, "keycloak-stop");
    private Process process;

    ProcessKeycloak(Path home) {
        this(home, List.of(), Map.of());
    }

    /** {@code extraArgs} follow the kit's own {@code start-dev} options; {@code extraEnv} is added to Keycloak's environment. */
    ProcessKeycloak(Path home, List<String> extraArgs, Map<String, String> extraEnv) {
        this.home = home;
        this.extraArgs = List.copyOf(extraArgs);
        this.extraEnv = Map.copyOf(extraEnv);
        try {
            this.workDir = Files.createDirectories(Path.of("target", "keycloak-" + httpPort).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = workDir.resolve("keycloak.log");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("bash", "-c", WATCHDOG, "keycloak-watchdog",
                Long.toString(ProcessHandle.current().pid()),
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--db=dev-file",
                "--db-url=jdbc:h2:file:" + workDir.resolve("h2/keycloakdb") + ";NON_KEYWORDS=VALUE"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(extraEnv);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser());
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // Keycloak runs on JDK 17, 21 and 25: use the JDK running the tests, never whatever java is on PATH.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        try {
            HealthWait.untilUp("http://127.0.0.1:" + managementPort + "/health/ready", START_TIMEOUT,
                    process::isAlive, () -> "Keycloak " + KeycloakServer.VERSION + " did not start on port " + httpPort
                            + ". Last lines of " + logFile + ":\n" + tail(logFile, 60));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops Keycloak and waits for it to exit; {@link #start()} brings it back with the same ports and data. */
    @Override
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(running.descendants().toList());
        running.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!running.waitFor(20, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : tree) {
                child.onExit().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        process = null;
    }

    /** Stops Keycloak for good: this backend is not needed again in this JVM. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops nothing more than we just did
        }
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public String adminUser() {
        return "admin";
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(logFile);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
