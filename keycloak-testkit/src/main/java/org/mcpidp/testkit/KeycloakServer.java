package org.mcpidp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.runtime.LocalKeycloak;

/**
 * A running Keycloak 26.7 for tests, started at most once per JVM and shared by every test class.
 *
 * <p>Where it comes from, in order:
 * <ol>
 *   <li>{@code -Dkeycloak.url=http://127.0.0.1:8080} (with {@code keycloak.admin.user} / {@code keycloak.admin.password},
 *       or the env vars {@code TESTKIT_KEYCLOAK_URL}, {@code TESTKIT_KEYCLOAK_ADMIN_USER},
 *       {@code TESTKIT_KEYCLOAK_ADMIN_PASSWORD}): reuse a server that is already running. Handy while developing: no
 *       20 s start per test run. The dev stack's own {@code KEYCLOAK_URL} / {@code KEYCLOAK_ADMIN_*} (in
 *       {@code .dev/stack.env}, often sourced into a shell) are deliberately NOT read: a test run must never write
 *       its random realms into the dev stack's Keycloak just because a shell still has them set.</li>
 *   <li>A Docker engine that answers: a {@code quay.io/keycloak/keycloak} container via testcontainers-keycloak.</li>
 *   <li>Otherwise: the {@code keycloak-quarkus-dist} tarball that Maven unpacked (system property
 *       {@code keycloak.home}), started as a child process on free loopback ports and stopped when the JVM exits
 *       (a watchdog also stops it if the JVM is killed). It runs with the experimental {@code cimd} feature and
 *       trusts a loopback test authority made up for it ({@link #loopbackTls()}).</li>
 * </ol>
 * A start that fails throws with the tail of Keycloak's log, so the test report shows why.
 *
 * <p>A test that needs a Keycloak of its own (different start options, e.g. {@code --import-realm}) gets one from
 * {@link #startDedicated(List, Map)} and closes it; {@link #close()} on the shared server does nothing.
 */
public final class KeycloakServer implements AutoCloseable {

    /** The Keycloak version the kit is tested against; the container image uses the same. */
    public static final String VERSION = LocalKeycloak.VERSION;

    /** Environment variables that point the tests at a running Keycloak (system properties win). */
    public static final String URL_ENV = "TESTKIT_KEYCLOAK_URL";
    public static final String ADMIN_USER_ENV = "TESTKIT_KEYCLOAK_ADMIN_USER";
    public static final String ADMIN_PASSWORD_ENV = "TESTKIT_KEYCLOAK_ADMIN_PASSWORD";

    private static KeycloakServer shared;

    private final KeycloakBackend backend;
    private final boolean dedicated;
    private volatile KeycloakAdmin admin;

    private KeycloakServer(KeycloakBackend backend, boolean dedicated) {
        this.backend = backend;
        this.dedicated = dedicated;
    }

    /**
     * True when the tests are pointed at a Keycloak that runs elsewhere ({@code -Dkeycloak.url} or
     * {@value #URL_ENV}): such a server is never stopped or restarted by a test.
     */
    public static boolean usesExternalServer() {
        return setting("keycloak.url", URL_ENV).isPresent();
    }

    /** The JVM-wide Keycloak, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            KeycloakBackend backend = chooseBackend();
            backend.start();
            shared = new KeycloakServer(backend, false);
        }
        return shared;
    }

    /** The JVM-wide Keycloak if a test already started it; never starts one (for end-of-class checks). */
    public static synchronized Optional<KeycloakServer> sharedIfStarted() {
        return Optional.ofNullable(shared);
    }

    /**
     * Starts a Keycloak that belongs to the caller: always a child process from the distribution at
     * {@code keycloak.home} (whatever {@code keycloak.url} or Docker say), on its own free ports with its own H2
     * database, returning once it is ready. {@code extraArgs} are appended to the kit's {@code start-dev} options
     * (e.g. {@code --import-realm}); {@code env} is added to the process environment (e.g. the values of
     * {@code ${VAR}} placeholders in an imported realm). {@link #close()} stops it; so does the end of this JVM.
     * Like the shared server it runs with {@code --features=cimd} unless {@code extraArgs} has a {@code --features...}
     * option of its own (e.g. {@code --features-disabled=cimd} for a Keycloak without CIMD).
     *
     * @throws IllegalStateException when there is no distribution or Keycloak does not become ready (with the log tail)
     */
    public static KeycloakServer startDedicated(List<String> extraArgs, Map<String, String> env) {
        return dedicated(new ProcessKeycloak(distribution(), extraArgs, env));
    }

    /** Starts {@code backend} for one owner; a failed start leaves nothing running. */
    private static KeycloakServer dedicated(KeycloakBackend backend) {
        try {
            backend.start();
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        return new KeycloakServer(backend, true);
    }

    /** The unpacked distribution ({@code bin/kc.sh} under it) that local processes run from. */
    public static Path distributionHome() {
        return distribution();
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return backend.baseUrl();
    }

    /** The issuer of a realm exactly as Keycloak writes it into tokens. */
    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** Admin REST access as the bootstrap admin of the master realm. */
    public KeycloakAdmin admin() {
        KeycloakAdmin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = new KeycloakAdmin(baseUrl(), backend.adminUser(), backend.adminPassword());
                }
                current = admin;
            }
        }
        return current;
    }

    /** The bootstrap admin's user name (master realm). */
    public String adminUser() {
        return backend.adminUser();
    }

    /** The bootstrap admin's password (random per run unless an external server was given). */
    public String adminPassword() {
        return backend.adminPassword();
    }

    /**
     * Stops Keycloak (a local process only), e.g. to test what a resource server does while its IdP is down.
     * Realms survive: {@link #start()} brings the same server back on the same ports.
     */
    public void stop() {
        backend.stop();
    }

    /** Starts Keycloak again after {@link #stop()} and waits until it is ready. */
    public void start() {
        backend.start();
    }

    /** Stops a server from {@link #startDedicated(List, Map)} for good; the shared server is left running. */
    @Override
    public void close() {
        if (dedicated) {
            backend.close();
        }
    }

    /**
     * The test certificate authority this Keycloak trusts for its outgoing requests, with a server certificate for
     * {@code 127.0.0.1} and {@code localhost}: serve https on loopback with it and Keycloak accepts the connection
     * (e.g. when it fetches a Client ID Metadata Document). Present only for a Keycloak process this JVM started
     * ({@link #shared()} without {@code keycloak.url} or Docker, and {@link #startDedicated}); empty for a server
     * someone else runs or a container, whose trust this JVM cannot set.
     */
    public Optional<LoopbackTls> loopbackTls() {
        return backend.loopbackTls();
    }

    /** Where Keycloak's log goes, when this JVM started the process. */
    public Optional<Path> logFile() {
        return backend.logFile();
    }

    private static KeycloakBackend chooseBackend() {
        Optional<String> externalUrl = setting("keycloak.url", URL_ENV);
        if (externalUrl.isPresent()) {
            return new ExternalKeycloak(externalUrl.get(),
                    setting("keycloak.admin.user", ADMIN_USER_ENV).orElse("admin"),
                    setting("keycloak.admin.password", ADMIN_PASSWORD_ENV)
                            .orElseThrow(() -> new IllegalStateException("keycloak.url / " + URL_ENV
                                    + " is set but keycloak.admin.password / " + ADMIN_PASSWORD_ENV + " is not")));
        }
        String mode = System.getProperty("keycloak.mode", "auto");
        if (mode.equals("docker") || (mode.equals("auto") && DockerProbe.engineAnswers())) {
            return new ContainerKeycloak();
        }
        return new ProcessKeycloak(distribution());
    }

    private static Path distribution() {
        String home = System.getProperty("keycloak.home");
        if (home == null || !Files.isRegularFile(Path.of(home, "bin", "kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at keycloak.home=" + home
                    + ". Run the tests through Maven (./mvnw verify) so the dependency plugin unpacks "
                    + "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":tar.gz, or set -Dkeycloak.url to a running server.");
        }
        return Path.of(home);
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
