package org.mcpidp.testkit;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.runtime.LocalKeycloak;
import org.mcpidp.runtime.LocalKeycloakOptions;

/**
 * The test kit's Keycloak process: local-runtime's {@link LocalKeycloak} on free loopback ports, with its own work
 * directory under {@code target/}, a random admin password, the experimental features the tests need and trust in the
 * loopback test authority. Process handling (watchdog, shutdown hook, readiness wait) is {@link LocalKeycloak}'s.
 */
final class ProcessKeycloak implements KeycloakBackend {

    /** Experimental features every test Keycloak runs with (one {@code --features} option: a second would replace it). */
    static final String TEST_FEATURES = "cimd";

    /** Keycloak starts in 20-60 s on a quiet 2-core machine; a busy one (a full build beside it) took over 180 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("keycloak.start.timeout.seconds", 420));

    private final LocalKeycloak keycloak;
    private final LoopbackTls loopbackTls;

    ProcessKeycloak(Path home) {
        this(home, List.of(), Map.of());
    }

    /** {@code extraArgs} follow the kit's own {@code start-dev} options; {@code extraEnv} is added to Keycloak's environment. */
    ProcessKeycloak(Path home, List<String> extraArgs, Map<String, String> extraEnv) {
        this(home, FreePort.find(), extraArgs, extraEnv);
    }

    private ProcessKeycloak(Path home, int httpPort, List<String> extraArgs, Map<String, String> extraEnv) {
        this.loopbackTls = LoopbackTls.generate(testWorkDir(httpPort).resolve("tls"));
        this.keycloak = new LocalKeycloak(home, testOptions(httpPort, extraArgs, extraEnv));
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
    public void start() {
        keycloak.start();
    }

    /** Stops Keycloak and waits for it to exit; {@link #start()} brings it back with the same ports and data. */
    @Override
    public void stop() {
        keycloak.stop();
    }

    @Override
    public void close() {
        keycloak.close();
    }

    @Override
    public String baseUrl() {
        return keycloak.baseUrl();
    }

    @Override
    public String adminUser() {
        return keycloak.options().adminUser();
    }

    @Override
    public String adminPassword() {
        return keycloak.options().adminPassword();
    }

    @Override
    public Optional<LoopbackTls> loopbackTls() {
        return Optional.of(loopbackTls);
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(keycloak.options().logFile());
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
