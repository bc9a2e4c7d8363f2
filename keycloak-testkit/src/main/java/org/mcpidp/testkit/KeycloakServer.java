package org.mcpidp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A running Keycloak 26.7 for tests, started at most once per JVM and shared by every test class.
 *
 * <p>Where it comes from, in order:
 * <ol>
 *   <li>{@code -Dkeycloak.url=http://127.0.0.1:8080} (with {@code keycloak.admin.user} / {@code keycloak.admin.password},
 *       or the env vars {@code KEYCLOAK_URL}, {@code KEYCLOAK_ADMIN_USER}, {@code KEYCLOAK_ADMIN_PASSWORD}): reuse a
 *       server that is already running. Handy while developing: no 20 s start per test run.</li>
 *   <li>A Docker engine that answers: a {@code quay.io/keycloak/keycloak} container via testcontainers-keycloak.</li>
 *   <li>Otherwise: the {@code keycloak-quarkus-dist} tarball that Maven unpacked (system property
 *       {@code keycloak.home}), started as a child process on free loopback ports and stopped when the JVM exits
 *       (a watchdog also stops it if the JVM is killed).</li>
 * </ol>
 * A start that fails throws with the tail of Keycloak's log, so the test report shows why.
 */
public final class KeycloakServer {

    /** The Keycloak version the kit is tested against; the container image uses the same. */
    public static final String VERSION = "26.7.3";

    private static KeycloakServer shared;

    private final KeycloakBackend backend;
    private volatile KeycloakAdmin admin;

    private KeycloakServer(KeycloakBackend backend) {
        this.backend = backend;
    }

    /** The JVM-wide Keycloak, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            KeycloakBackend backend = chooseBackend();
            backend.start();
            shared = new KeycloakServer(backend);
        }
        return shared;
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

    /** Where Keycloak's log goes, when this JVM started the process. */
    public Optional<Path> logFile() {
        return backend.logFile();
    }

    private static KeycloakBackend chooseBackend() {
        Optional<String> externalUrl = setting("keycloak.url", "KEYCLOAK_URL");
        if (externalUrl.isPresent()) {
            return new ExternalKeycloak(externalUrl.get(),
                    setting("keycloak.admin.user", "KEYCLOAK_ADMIN_USER").orElse("admin"),
                    setting("keycloak.admin.password", "KEYCLOAK_ADMIN_PASSWORD")
                            .orElseThrow(() -> new IllegalStateException(
                                    "keycloak.url is set but keycloak.admin.password / KEYCLOAK_ADMIN_PASSWORD is not")));
        }
        String mode = System.getProperty("keycloak.mode", "auto");
        if (mode.equals("docker") || (mode.equals("auto") && DockerProbe.engineAnswers())) {
            return new ContainerKeycloak();
        }
        String home = System.getProperty("keycloak.home");
        if (home == null || !Files.isRegularFile(Path.of(home, "bin", "kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at keycloak.home=" + home
                    + ". Run the tests through Maven (./mvnw verify) so the dependency plugin unpacks "
                    + "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":tar.gz, or set -Dkeycloak.url to a running server.");
        }
        return new ProcessKeycloak(Path.of(home));
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
