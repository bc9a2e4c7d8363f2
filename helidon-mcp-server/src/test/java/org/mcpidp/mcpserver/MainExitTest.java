package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;

/**
 * The real {@link Main} in a child JVM with the packaged application.yaml and an empty environment: a missing
 * required key stops it with exit code 2 and one line naming the key, never a stack trace and never a guessed value.
 */
class MainExitTest {

    private record Exit(int code, String stderr) {
    }

    private static Exit run(String... properties) throws IOException, InterruptedException {
        return run(Map.of(), properties);
    }

    private static Exit run(Map<String, String> env, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dserver.port=" + FreePort.find());
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear(); // CI's MCP_* variables must not fill the gap
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] stderr = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Main did not exit");
        }
        return new Exit(process.exitValue(), new String(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void whenNoIssuerIsConfiguredThenMainExitsTwoNamingTheKey() throws Exception {
        Exit exit = run();

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("mcp-server: configuration mcp.auth.issuers ").contains("required")
                .doesNotContain("\tat ");
    }

    @Test
    void whenTheIntrospectionClientIsNotConfiguredThenMainExitsTwoNamingTheKey() throws Exception {
        Exit exit = run("mcp.auth.issuers.0.url=http://127.0.0.1:1/realms/x");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("configuration mcp.auth.issuers.0.client-id is required")
                .doesNotContain("\tat ");
    }

    @Test
    void whenTheResourceCannotBeDerivedThenMainExitsTwoNamingTheKey() throws Exception {
        Exit exit = run("mcp.auth.issuers.0.url=http://127.0.0.1:1/realms/x", "mcp.auth.issuers.0.mode=jwt",
                "server.host=0.0.0.0");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("configuration mcp.resource is required").doesNotContain("\tat ");
    }

    @Test
    void whenTheDrainTimeoutIsNotADurationThenMainExitsTwoNamingTheKey() throws Exception {
        Exit exit = run("mcp.auth.issuers.0.url=http://127.0.0.1:1/realms/x", "mcp.auth.issuers.0.mode=jwt",
                "shutdown.drain-timeout=15s");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("mcp-server: shutdown.drain-timeout: not an ISO-8601 duration such as PT5S"
                + " (15s)").doesNotContain("\tat ");
    }

    @Test
    void whenAnAuditKeyIsWrongThenMainExitsTwoNamingTheKey() throws Exception {
        Exit exit = run("mcp.auth.issuers.0.url=http://127.0.0.1:1/realms/x", "mcp.auth.issuers.0.mode=jwt",
                "mcp.audit.queue-size=0");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("mcp-server: mcp.audit.queue-size: 0 is not within 1-")
                .doesNotContain("\tat ");
    }

    @Test
    void whenMcpAuthScopeHierarchyIsSetThenItReplacesTheYamlListAndAMalformedEntryExitsTwoNamingTheKey() throws Exception {
        // application.yaml holds a valid list: only the variable can make startup fail here
        Exit exit = run(Map.of("MCP_AUTH_SCOPE_HIERARCHY", "mcp:admin mcp:write"),
                "mcp.auth.issuers.0.url=http://127.0.0.1:1/realms/x", "mcp.auth.issuers.0.mode=jwt");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr()).contains("mcp.auth.scope-hierarchy").contains("'mcp:admin mcp:write'")
                .doesNotContain("\tat ");
    }
}
