package org.mcpidp.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;

/**
 * Runs the dev launcher exactly as the README says ({@code ./dev-stack.sh}, a child process that builds, starts
 * Keycloak and the MCP server), runs the README's quick start (both protocol eras) and the documented blocks that need
 * a running stack against it (docs/*.md: the SDK client, health and metrics, provisioning, the conformance fixture
 * server), stops it like Ctrl-C does, starts it again (Keycloak's data kept, zero provisioning writes) and stops it
 * with SIGTERM. After each stop nothing it started may still run. Its state goes to {@code DEV_STACK_DIR} under
 * target/, never to a developer's {@code .dev/}.
 */
class DevStackLauncherTest {

    private static final Path ROOT = Path.of(System.getProperty("devstack.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("dev-stack/target/it-dev");

    private final int keycloakPort = FreePort.find();
    private final int managementPort = FreePort.find();
    private final int mcpPort = FreePort.find();
    private final int ordersApiPort = FreePort.find();
    private final List<Process> launched = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : launched) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void whenLaunchedTwiceThenQuickStartWorksSecondStartWritesNothingAndNothingIsLeftRunning() throws Exception {
        deleteRecursively(STATE);

        // 1. First start: new Keycloak data, the demo tenant created.
        Launch first = launch("first");
        String console = first.awaitReady(Duration.ofSeconds(300));
        assertThat(console).contains("new data in", "+ realm mcp-demo", "Dev stack ready in",
                "MCP server: http://127.0.0.1:" + mcpPort + "/mcp");
        Path stackEnv = STATE.resolve("stack.env");
        assertThat(Files.getPosixFilePermissions(stackEnv)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(stackEnv)).contains("KEYCLOAK_URL=", "REALM='mcp-demo'", "MCP_URL=", "ISSUER=",
                "ORDERS_API_URL='http://127.0.0.1:" + ordersApiPort + "'", "KEYCLOAK_ADMIN_USER='admin'", "KEYCLOAK_ADMIN_PASSWORD=", "AGENT_READER_ID='agent-reader'",
                "AGENT_READER_SECRET=", "AGENT_WRITER_ID=", "AGENT_WRITER_SECRET=", "AGENT_ADMIN_ID=",
                "AGENT_ADMIN_SECRET=", "ALICE_PASSWORD=", "CAROL_PASSWORD=", "BOB_PASSWORD=");
        assertNoSecretPrinted(console, stackEnv);
        String quickStart = readmeQuickStart();
        assertThat(console).as("the launcher prints the README's token command")
                .contains(quickStart.lines().filter(l -> l.startsWith("export TOKEN=")).findFirst().orElseThrow());

        // 2. The README's quick start: token for agent-reader, whoami and list_products work, delete_product is 403.
        Shell calls = runQuickStart(quickStart, stackEnv);
        assertThat(calls.out).contains("agent-reader", "mcp:read", "Keyboard");
        assertThat(calls.err).contains("tools/call delete_product: HTTP 403", "error=\"insufficient_scope\"",
                "scope=\"mcp:admin");

        // 2'. The README's 2026-07-28 quick start, in the same shell as the token request: server/discover, a per-caller
        // private tools/list, whoami, and the same 403 for delete_product, each a stateless request with the headers.
        Shell modern = runScript(tokenRequest(quickStart) + readmeBlock("quick-start-modern"), stackEnv);
        assertThat(modern.out).contains("\"supportedVersions\":[\"2026-07-28\",\"2025-11-25\"",
                "\"name\":\"whoami\"", "\"name\":\"list_products\"", "\"cacheScope\":\"private\"",
                "agent-reader", "mcp:read").doesNotContain("\"name\":\"delete_product\"",
                "\"name\":\"create_product\"");
        assertThat(modern.err).contains("tools/call delete_product: HTTP 403", "error=\"insufficient_scope\"",
                "scope=\"mcp:admin\"");

        // 2a. The documented health and metrics example: the calls above were counted by outcome.
        Shell observe = runReadmeBlock("observe-example", stackEnv);
        assertThat(observe.exit).as(observe.err).isZero();
        assertThat(observe.out).contains("UP", "mcp_auth_requests_total{outcome=\"authenticated\"}",
                "mcp_auth_requests_total{outcome=\"insufficient_scope\"} 2");

        // 2b. The documented TypeScript SDK example: a real MCP client discovers Keycloak from the 401 and calls tools.
        if (onPath("node") && onPath("npm")) {
            Shell sdk = runReadmeBlock("sdk-example", stackEnv);
            assertThat(sdk.exit).as(sdk.err).isZero();
            assertThat(sdk.out).contains("\"connected\": true", "\"clientId\": \"agent-reader\"", "Keyboard",
                    "403 after trying upscoping");
        } else {
            System.out.println("node/npm not on PATH: the README's TypeScript SDK example was not run");
        }

        // 2c. The documented provisioning example against the stack's Keycloak: validate, plan (nothing to do), apply
        // (zero writes), export. Its files go to this test's state directory (the README's .dev/).
        Shell provisioning = runReadmeBlock("provisioning-example", stackEnv);
        assertThat(provisioning.exit).as(provisioning.out + provisioning.err).isZero();
        assertThat(provisioning.out).contains("demo-tenant.yaml: valid",
                "No changes. 33 object(s) already match the spec.", "(0 admin API writes",
                "wrote " + STATE.resolve("mcp-demo-realm.json"));
        assertThat(Files.readString(STATE.resolve("mcp-demo-realm.json"))).contains("\"realm\" : \"mcp-demo\"");
        // the mcp-server secret (MCP_SERVER_SECRET is not in stack.env) is handed over again
        assertThat(Files.getPosixFilePermissions(STATE.resolve("demo.secrets.env")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertNoSecretPrinted(provisioning.out + provisioning.err, stackEnv);

        // 2d. The documented conformance fixture server, started as written against the stack's Keycloak (on a free
        // port: SERVER_PORT), answers a 2026-07-28 tools/list of the reader with the suite's fixture tools.
        conformanceFixtureAnswers(quickStart, stackEnv);

        // 3. Ctrl-C (SIGINT): everything stops, nothing is left.
        first.stop("INT");

        // 4. Second start: same data, nothing to provision.
        Launch second = launch("second");
        console = second.awaitReady(Duration.ofSeconds(240));
        assertThat(console).contains("existing data in", "realm mcp-demo is up to date: 0 changes, 0 admin API writes");
        assertThat(runQuickStart(quickStart, stackEnv).out).contains("agent-reader");

        // 5. SIGTERM: everything stops, nothing is left.
        second.stop("TERM");
    }

    private Launch launch(String name) throws IOException {
        List<String> command = new ArrayList<>();
        if (sigintIgnoredHere()) {
            // A JVM started with SIGINT ignored (a background job of a shell without job control) cannot handle it,
            // nor can anything it starts; a terminal never does that. Start the launcher as a terminal would.
            command.addAll(List.of("python3", "-c", "import os,signal,sys; signal.signal(signal.SIGINT, "
                    + "signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        }
        command.addAll(List.of("./dev-stack.sh", "--keycloak-port", Integer.toString(keycloakPort),
                "--keycloak-management-port", Integer.toString(managementPort), "--mcp-port", Integer.toString(mcpPort),
                "--orders-api-port", Integer.toString(ordersApiPort)));
        Path output = ROOT.resolve("dev-stack/target/launcher-" + name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("DEV_STACK_DIR", STATE.toString());
        Process process = builder.start();
        launched.add(process);
        return new Launch(process, output);
    }

    private record Launch(Process process, Path output) {

        String awaitReady(Duration timeout) throws Exception {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                String console = console();
                if (console.contains("Press Ctrl-C") && Files.exists(STATE.resolve("stack.env"))) {
                    return console;
                }
                if (!process.isAlive()) {
                    fail("the launcher exited with " + process.exitValue() + ":\n" + console);
                }
                Thread.sleep(250);
            }
            return fail("no ready stack within " + timeout.toSeconds() + " s:\n" + console());
        }

        /** Sends the signal to the launcher only (a terminal's Ctrl-C also reaches its children; they cope). */
        void stop(String signal) throws Exception {
            List<ProcessHandle> started = process.descendants().toList();
            assertThat(started).as("Keycloak and the MCP server run under the launcher").hasSizeGreaterThanOrEqualTo(4);
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                fail("the launcher did not stop on SIG" + signal + ":\n" + console());
            }
            assertThat(console()).contains("Stopping the MCP server...", "Stopping Keycloak...", "Stopped.");
            Thread.sleep(200);
            assertThat(started.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine()
                    .orElse("?")).toList()).as("processes left after SIG" + signal).isEmpty();
        }

        String console() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }
    }

    private record Shell(int exit, String out, String err) {
    }

    /** The quick start's lines that read stack.env and get the reader's token (everything but its calls). */
    private static String tokenRequest(String quickStart) {
        return quickStart.lines().filter(line -> !line.startsWith("examples/"))
                .reduce("", (script, line) -> script + line + "\n");
    }

    private void conformanceFixtureAnswers(String quickStart, Path stackEnv) throws Exception {
        int port = FreePort.find();
        String script = readmeBlock("conformance-server").replace(".dev/", stackEnv.getParent() + "/");
        Path output = ROOT.resolve("dev-stack/target/conformance-server.out");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        Process fixture = builder.start();
        launched.add(fixture);
        try {
            // bin/conformance-server builds the jar first when it is missing or older than its sources
            Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
            while (!Files.readString(output).contains("MCP conformance fixture on http://127.0.0.1:" + port + "/mcp")) {
                if (!fixture.isAlive()) {
                    fail("the conformance fixture server exited with " + fixture.exitValue() + ":\n"
                            + Files.readString(output));
                }
                if (Instant.now().isAfter(deadline)) {
                    fail("the conformance fixture server did not start within 300 s:\n" + Files.readString(output));
                }
                Thread.sleep(250);
            }
            Shell listed = runScript(tokenRequest(quickStart) + "MCP_URL=http://127.0.0.1:" + port
                    + "/mcp examples/call-modern.sh tools/list\n", stackEnv);
            assertThat(listed.exit).as(listed.err).isZero();
            assertThat(listed.out).contains("\"name\":\"test_simple_text\"", "\"cacheScope\":\"private\"");
        } finally {
            fixture.descendants().forEach(ProcessHandle::destroy);
            fixture.destroy();
            assertThat(fixture.waitFor(30, TimeUnit.SECONDS)).as("the fixture server stops").isTrue();
        }
        assertNoSecretPrinted(Files.readString(output), stackEnv);
    }

    private static Shell runQuickStart(String quickStart, Path stackEnv) throws Exception {
        return runScript(quickStart, stackEnv);
    }

    private static Shell runReadmeBlock(String marker, Path stackEnv) throws Exception {
        return runScript(readmeBlock(marker), stackEnv);
    }

    /** A README block, run by bash from the repository root, with this test's state directory for {@code .dev/}. */
    private static Shell runScript(String block, Path stackEnv) throws Exception {
        String script = block.replace(".dev/", stackEnv.getParent() + "/");
        Process bash = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile()).start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Shell(bash.exitValue(), out, err);
    }

    static String readmeQuickStart() throws IOException {
        return readmeBlock("quick-start");
    }

    /**
     * The commands of the code block right after {@code <!-- marker -->} in README.md or docs/*.md (a marker names one
     * block across them, {@link ReadmeBlocksTest}).
     */
    static String readmeBlock(String marker) throws IOException {
        Pattern pattern = Pattern.compile("<!-- " + marker + " -->\\s*```(?:bash)?\\n(.*?)```", Pattern.DOTALL);
        for (Path document : ReadmeBlocksTest.documents()) {
            Matcher block = pattern.matcher(Files.readString(ROOT.resolve(document)));
            if (block.find()) {
                return block.group(1);
            }
        }
        return fail("README.md or docs/*.md has a <!-- " + marker + " --> code block");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void assertNoSecretPrinted(String console, Path stackEnv) throws IOException {
        for (String line : Files.readAllLines(stackEnv)) {
            if (line.contains("SECRET=") || line.contains("PASSWORD=")) {
                String value = line.substring(line.indexOf('=') + 2, line.length() - 1);
                assertThat(console).as("the console shows no secret").doesNotContain(value);
            }
        }
    }

    private static boolean sigintIgnoredHere() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
