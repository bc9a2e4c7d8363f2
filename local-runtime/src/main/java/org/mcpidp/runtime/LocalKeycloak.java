package org.mcpidp.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keycloak from the unpacked Maven Central distribution, run as a child process on the loopback ports, data directory
 * and bootstrap admin of {@link LocalKeycloakOptions}: what the dev stack runs, and what the test kit's fixtures start
 * on free ports.
 *
 * <p>The process is a {@link WatchedProcess}: a small shell watchdog stops Keycloak when this JVM disappears, so even a
 * {@code kill -9} of the JVM leaves no orphan. A normal exit stops it through a shutdown hook. The H2 file database
 * lives in the data directory, so {@link #stop()} followed by {@link #start()} keeps every realm.
 */
public final class LocalKeycloak implements AutoCloseable {

    /** The Keycloak release the build unpacks (target/keycloak-dist/keycloak-VERSION) and everything is tested with. */
    public static final String VERSION = "26.7.3";

    private final Path home;
    private final LocalKeycloakOptions options;
    private final Thread stopOnExit = new Thread(this::stop, "keycloak-stop");
    private WatchedProcess process;

    /** Prepares (does not start) Keycloak from the distribution at {@code home}; creates the data and log directories. */
    public LocalKeycloak(Path home, LocalKeycloakOptions options) {
        this.home = home;
        this.options = options;
        try {
            Files.createDirectories(options.dataDir());
            Files.createDirectories(options.logFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts Keycloak (no-op when it runs) and returns once its readiness check answers.
     *
     * @throws IllegalStateException when it does not become ready in time or exits, with the tail of its log
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("bash",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + options.httpPort(),
                "--http-management-port=" + options.managementPort(),
                "--health-enabled=true",
                "--db=dev-file",
                "--db-url=jdbc:h2:file:" + options.dataDir().toAbsolutePath().resolve("h2/keycloakdb")
                        + ";NON_KEYWORDS=VALUE"));
        command.addAll(options.extraArgs());
        Map<String, String> env = new HashMap<>(options.env());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", options.adminUser());
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", options.adminPassword());
        // Keycloak runs on JDK 17, 21 and 25: use the JDK running this JVM, never whatever java is on PATH.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        process = WatchedProcess.start("keycloak", command, home, env, options.logFile());
        try {
            HealthWait.untilUp("http://127.0.0.1:" + options.managementPort() + "/health/ready",
                    options.startTimeout(), process::isAlive, options.progress(),
                    () -> "Keycloak " + VERSION + " did not start on port " + options.httpPort()
                            + ". Last lines of " + options.logFile() + ":\n" + WatchedProcess.tail(options.logFile(), 60));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops Keycloak and waits for it to exit; {@link #start()} brings it back with the same ports and data. */
    public synchronized void stop() {
        WatchedProcess running = process;
        if (running == null) {
            return;
        }
        running.stop(Duration.ofSeconds(20));
        process = null;
    }

    /** Stops Keycloak for good: it is not needed again in this JVM. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops nothing more than we just did
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + options.httpPort();
    }

    public LocalKeycloakOptions options() {
        return options;
    }
}
