package org.mcpidp.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is validated: Debian's {@code docker-compose} parses
 * and interpolates it without an engine ({@code .ci/run} installs it when missing).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("devstack.root", "..")).toAbsolutePath().normalize();

    @Test
    void whenValidatedWithTheExampleEnvThenComposeAcceptsIt() throws Exception {
        Result quiet = compose("config", "-q");
        assertThat(quiet.exit).as(quiet.output).isZero();
        assertThat(quiet.output).isBlank();
    }

    @Test
    void whenResolvedThenKeycloakImportsTheRealmAndTheServerWaitsForItsHealth() throws Exception {
        Result config = compose("config");
        assertThat(config.exit).as(config.output).isZero();
        assertThat(config.output).contains("quay.io/keycloak/keycloak:26.7.3", "--import-realm",
                "/opt/keycloak/data/import", "condition: service_healthy", "healthcheck:",
                "KC_HOSTNAME: http://127.0.0.1:8180", "MCP_AUTH_ISSUERS_0_URL: http://127.0.0.1:8180/realms/mcp-demo",
                "MCP_RESOURCE: http://127.0.0.1:8080/mcp");
    }

    @Test
    void whenResolvedThenTheOrdersApiRunsBesideTheServerTrustingTheSameIssuer() throws Exception {
        Result config = compose("config");
        assertThat(config.exit).as(config.output).isZero();
        int start = config.output.indexOf("\n  orders-api:\n");
        assertThat(start).as(config.output).isPositive();
        String orders = config.output.substring(start);
        assertThat(orders).contains("dockerfile: orders-api/Dockerfile", "condition: service_healthy",
                "ORDERS_API_ISSUER: http://127.0.0.1:8180/realms/mcp-demo", "ORDERS_API_PORT: '8090'",
                "GET /health HTTP/1.1", "127.0.0.1:8090:8090");
        assertThat(config.output.substring(0, start)).contains("MCP_DOWNSTREAM_ORDERS_API_URL: http://orders-api:8090");
    }

    @Test
    void whenASecretIsMissingThenComposeRefusesToStart() throws Exception {
        Path emptyEnv = Files.createTempFile("compose", ".env");
        Result config = run(List.of("docker-compose", "--env-file", emptyEnv.toString(), "config", "-q"));
        assertThat(config.exit).isNotZero();
        assertThat(config.output).contains("KEYCLOAK_ADMIN_PASSWORD");
    }

    private record Result(int exit, String output) {
    }

    private static Result compose(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "--env-file", ".env.example"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed, so docker-compose.yml is not validated. "
                + "Install it (apt-get install docker-compose; .ci/run does) to run this test.");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        // Only the env file counts: variables of whoever runs the build must not mask a missing one.
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYCLOAK_") || name.endsWith("_SECRET")
                || name.endsWith("_PASSWORD") || name.startsWith("MCP_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
