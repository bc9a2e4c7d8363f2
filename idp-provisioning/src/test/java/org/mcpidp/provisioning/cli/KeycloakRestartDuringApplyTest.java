package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Provisioning faults, issue 8: Keycloak really stops in the middle of {@code apply} (after its fifth change) and comes
 * back; the apply fails with exit 1 and a message that names Keycloak and the connection failure, and re-applying the
 * same spec converges. Needs a Keycloak this JVM can stop and start: skipped against {@code -Dkeycloak.url}. Costs one
 * Keycloak restart (~25-35 s). An apply merely cut short (no restart) is scenario 06 of
 * {@code KeycloakProvisionerScenarioTest}.
 */
class KeycloakRestartDuringApplyTest {

    @TempDir
    Path dir;

    /** Stops Keycloak while the CLI reports its fifth change: the CLI thread waits here, so the next write hits a dead port. */
    private static final class StopKeycloakAtChange extends StringWriter {
        private final KeycloakServer keycloak;
        private boolean stopped;

        StopKeycloakAtChange(KeycloakServer keycloak) {
            this.keycloak = keycloak;
        }

        @Override
        public void write(String str, int off, int len) {
            super.write(str, off, len);
            if (!stopped && toString().contains("  [5/")) {
                stopped = true;
                keycloak.stop();
            }
        }
    }

    @Test
    void whenKeycloakRestartsDuringApplyThenExitOneNamingKeycloakAndReapplyConverges() throws Exception {
        assumeTrue(!KeycloakServer.usesExternalServer(),
                "needs a Keycloak this JVM can stop and start (run without -Dkeycloak.url)");
        KeycloakServer keycloak = KeycloakServer.shared();
        String realm = "restart-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String demo = Files.readString(Path.of("../realm-exports/demo-tenant.yaml"));
        Path spec = Files.writeString(dir.resolve("tenant.yaml"), demo.replace("realm: mcp-demo", "realm: " + realm));
        Path secrets = dir.resolve("tenant.secrets.env");
        Map<String, String> env = Map.of("KEYCLOAK_URL", keycloak.baseUrl(), "KEYCLOAK_ADMIN_USER", keycloak.adminUser(),
                "KEYCLOAK_ADMIN_PASSWORD", keycloak.adminPassword());
        String[] apply = {"apply", spec.toString(), "--yes", "--secrets-file", secrets.toString()};

        StopKeycloakAtChange out = new StopKeycloakAtChange(keycloak);
        StringWriter err = new StringWriter();
        int interrupted = ProvisioningCli.execute(apply, env, Prompt.none(), new PrintWriter(out), new PrintWriter(err));
        keycloak.start();

        assertThat(out.stopped).as("Keycloak was stopped during the apply").isTrue();
        assertThat(interrupted).as("exit code; stderr: %s", err).isEqualTo(1);
        assertThat(err.toString()).startsWith("error:").contains("Keycloak").containsIgnoringCase("connect")
                .doesNotContain("\tat ");

        StringWriter out2 = new StringWriter();
        StringWriter err2 = new StringWriter();
        assertThat(ProvisioningCli.execute(apply, env, Prompt.none(), new PrintWriter(out2), new PrintWriter(err2)))
                .as("re-apply; stderr: %s", err2).isZero();
        assertThat(out2.toString()).doesNotContain("+ realm ");
        StringWriter out3 = new StringWriter();
        assertThat(ProvisioningCli.execute(new String[] {"plan", spec.toString(), "--detailed-exitcode"}, env,
                Prompt.none(), new PrintWriter(out3), new PrintWriter(new StringWriter()))).isZero();
        assertThat(out3.toString()).contains("No changes.");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/keycloak-restart-during-apply.txt"), "interrupted apply: exit " + interrupted
                + ", " + err.toString().strip() + "\nre-apply: exit 0, then plan: No changes.\n");
        keycloak.admin().delete("/" + realm);
    }
}
