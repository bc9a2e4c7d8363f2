package org.mcpidp.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link LocalKeycloak} runs Keycloak from the distribution: fixed loopback ports, a data directory
 * that survives restarts (the H2 database, so realms are kept), the bootstrap admin (only used when the database is
 * new: Keycloak ignores it afterwards), extra {@code start-dev} arguments and environment.
 *
 * @param progress called about every 5 s while waiting for Keycloak to become ready, with the time waited so far
 */
public record LocalKeycloakOptions(int httpPort, int managementPort, Path dataDir, Path logFile, String adminUser,
                                   String adminPassword, List<String> extraArgs, Map<String, String> env,
                                   Duration startTimeout, Consumer<Duration> progress) {

    public LocalKeycloakOptions {
        if (httpPort <= 0 || managementPort <= 0 || httpPort == managementPort) {
            throw new IllegalArgumentException("two different positive ports needed, got " + httpPort + " and "
                    + managementPort);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
        extraArgs = List.copyOf(extraArgs);
        env = Map.copyOf(env);
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(progress, "progress");
    }

    /** Options for given ports and directories with no extra arguments, 180 s to start and no progress output. */
    public static LocalKeycloakOptions of(int httpPort, int managementPort, Path dataDir, Path logFile,
                                          String adminUser, String adminPassword) {
        return new LocalKeycloakOptions(httpPort, managementPort, dataDir, logFile, adminUser, adminPassword,
                List.of(), Map.of(), Duration.ofSeconds(180), waited -> {
                });
    }

    public LocalKeycloakOptions withProgress(Consumer<Duration> listener) {
        return new LocalKeycloakOptions(httpPort, managementPort, dataDir, logFile, adminUser, adminPassword,
                extraArgs, env, startTimeout, listener);
    }

    /** Hides the password: records print themselves in logs and exceptions. */
    @Override
    public String toString() {
        return "LocalKeycloakOptions[http " + httpPort + ", management " + managementPort + ", data " + dataDir + "]";
    }
}
