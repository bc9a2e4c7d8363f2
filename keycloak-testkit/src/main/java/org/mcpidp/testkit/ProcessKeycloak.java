package org.mcpidp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.runtime.HealthWait;
import org.mcpidp.runtime.WatchedProcess;

/**
 * Keycloak from the unpacked Maven Central distribution, run as a child process on free loopback ports (tests) or on
 * the ports and data directory of {@link LocalKeycloakOptions} (the dev launcher).
 *
 * <p>The process is a {@link WatchedProcess}: a small shell watchdog stops Keycloak when this JVM disappears, so even a
 * {@code kill -9} of the test JVM leaves no orphan. A normal exit stops it through a shutdown hook. The H2 file
 * database lives in its own directory, so {@link #stop()} followed by {@link #start()} keeps every realm (outage tests).
 */
final class ProcessKeycloak implements KeycloakBackend {

    /** Experimental features every test Keycloak runs with (one {@code --features} option: a second would replace it). */
    static final String TEST_FEATURES = "cimd";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("keycloak.start.timeout.seconds", 180));

    private final Path home;
    private final LocalKeycloakOptions options;
    private final Optional<LoopbackTls> loopbackTls;
    private final Thread stopOnExit = new Thread(this::stop, "keycloak-stop");
    private WatchedProcess process;

    ProcessKeycloak(Path home) {
        this(home, List.of(), Map.of());
    }

    /** {@code extraArgs} follow the kit's own {@code start-dev} options; {@code extraEnv} is added to Keycloak's environment. */
    ProcessKeycloak(Path home, List<String> extraArgs, Map<String, String> extraEnv) {
        this(home, FreePort.find(), extraArgs, extraEnv);
    }

    private ProcessKeycloak(Path home, int httpPort, List<String> extraArgs, Map<String, String> extraEnv) {
        this(home, testOptions(httpPort, extraArgs, extraEnv),
                Optional.of(LoopbackTls.generate(testWorkDir(httpPort).resolve("tls"))));
    }

    /** Keycloak with the given ports, data directory and admin (the dev launcher; tests use free ports). */
    ProcessKeycloak(Path home, LocalKeycloakOptions options) {
        this(home, options, Optional.empty());
    }

    private ProcessKeycloak(Path home, LocalKeycloakOptions options, Optional<LoopbackTls> loopbackTls) {
        this.home = home;
        this.options = options;
        this.loopbackTls = loopbackTls;
        try {
            Files.createDirectories(options.dataDir());
            Files.createDirectories(options.logFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * A test Keycloak: free ports, its own work directory, and what the people end-to-end tests need from the server
     * itself: the experimental Client ID Metadata Document feature ({@code --features=cimd}; realms that hold a CIMD
     * client policy answer every authorization request with 500 without it) and trust in the loopback test authority
     * ({@code --truststore-paths}: Keycloak's outgoing requests, the CIMD fetch among them, use that trust store).
     */
    private static LocalKeycloakOptions testOptions(int httpPort, List<String> extraArgs, Map<String, String> extraEnv) {
        Path workDir = testWorkDir(httpPort);
        List<String> args = new ArrayList<>();
        // A caller that names features itself (e.g. --features-disabled=cimd for a Keycloak without CIMD) decides
        // alone: Keycloak takes one --features option, and both options naming cimd would contradict each other.
        if (extraArgs.stream().noneMatch(arg -> arg.startsWith("--features"))) {
            args.add("--features=" + TEST_FEATURES);
        }
        args.add("--truststore-paths=" + workDir.resolve("tls").resolve("loopback-ca.pem"));
        args.addAll(extraArgs);
        return new LocalKeycloakOptions(httpPort, FreePort.find(), workDir, workDir.resolve("keycloak.log"), "admin",
                randomPassword(), args, extraEnv, START_TIMEOUT, waited -> {
                });
    }

    private static Path testWorkDir(int httpPort) {
        return Path.of("target", "keycloak-" + httpPort).toAbsolutePath();
    }

    @Override
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
                    () -> "Keycloak " + KeycloakServer.VERSION + " did not start on port " + options.httpPort()
                            + ". Last lines of " + options.logFile() + ":\n" + WatchedProcess.tail(options.logFile(), 60));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops Keycloak and waits for it to exit; {@link #start()} brings it back with the same ports and data. */
    @Override
    public synchronized void stop() {
        WatchedProcess running = process;
        if (running == null) {
            return;
        }
        running.stop(Duration.ofSeconds(20));
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
        return "http://127.0.0.1:" + options.httpPort();
    }

    @Override
    public String adminUser() {
        return options.adminUser();
    }

    @Override
    public String adminPassword() {
        return options.adminPassword();
    }

    @Override
    public Optional<LoopbackTls> loopbackTls() {
        return loopbackTls;
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(options.logFile());
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
