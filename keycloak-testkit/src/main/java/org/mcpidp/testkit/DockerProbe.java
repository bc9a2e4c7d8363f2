package org.mcpidp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Decides whether a Docker engine can be used, without loading testcontainers when it plainly cannot. */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean engineAnswers() {
        boolean candidate = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!candidate) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
