package org.mcpidp.testkit;

import java.nio.file.Path;
import java.util.Optional;

/** One way of having a Keycloak: a local process, a container, or a server someone else runs. */
interface KeycloakBackend {

    void start();

    String baseUrl();

    String adminUser();

    String adminPassword();

    /** Stops the server; only a local process can be stopped and started again with its data. */
    default void stop() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be stopped by the tests");
    }

    /** Releases what this JVM started for the server; nothing for a server someone else runs. */
    default void close() {
    }

    /** The loopback test authority this server trusts; only for a test process this JVM started. */
    default Optional<LoopbackTls> loopbackTls() {
        return Optional.empty();
    }

    default Optional<Path> logFile() {
        return Optional.empty();
    }
}
