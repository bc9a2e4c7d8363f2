package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;

/**
 * The real {@link Main} in a child JVM, stopped the way an orchestrator stops it: SIGTERM. It must drain, not drop:
 * readiness turns 503 at once, requests that still arrive in the open session are served (each with
 * {@code Connection: close}), the process exits once they stop coming for the quiet period, and every one of them
 * has its audit line on standard output, written while the JVM was shutting down.
 */
class ShutdownDrainTest {

    private final LocalIssuer idp = LocalIssuer.start();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private String readiness;
    private Path stdout;
    private Path stderr;
    private McpHttp mcp;
    private String token;
    private String session;

    @TempDir
    Path logs;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        idp.close();
    }

    @Test
    void whenTheServerGetsSigtermThenItTurnsUnreadyServesWhatStillComesAndExitsOnceItStops() throws Exception {
        startWithSession("PT2S", "PT60S");
        assertThat(mcp.callTool(token, session, "whoami", "{}").status()).isEqualTo(200);

        process.destroy(); // SIGTERM

        HttpResponse<String> ready = awaitReadiness(503);
        assertThat(ready.body()).contains("{\"name\":\"accepting-requests\",\"status\":\"DOWN\"}");
        List<String> connectionHeaders = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // ~2.4 s of traffic: longer than the quiet period, so only traffic holds it
            McpHttp.Reply reply = mcp.callTool(token, session, "whoami", "{}");
            assertThat(reply.status()).as("call %d during the drain", i).isEqualTo(200);
            assertThat(reply.body()).contains("\"result\"").contains("subject");
            connectionHeaders.add(reply.header("Connection"));
            Thread.sleep(300);
        }
        assertThat(process.isAlive()).as("still serving after the last drain call").isTrue();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after the quiet period").isTrue();
        assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM's own shutdown, not a crash
        assertThat(connectionHeaders).containsOnly("close");
        String log = Files.readString(stdout, StandardCharsets.UTF_8); // Helidon's console handler: standard output
        assertThat(log).contains("shutdown: draining").contains("shutdown: drained after")
                .doesNotContain("drain timeout reached").doesNotContain("\tat ");
        assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).doesNotContain("\tat ");
        assertThat(auditedWhoamiCalls()).as("audit lines of the 9 whoami calls (8 during the drain)").isEqualTo(9);
    }

    @Test
    void whenRequestsNeverStopThenTheDrainEndsAtItsTimeout() throws Exception {
        startWithSession("PT30S", "PT3S");

        process.destroy();
        awaitReadiness(503);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int served = 0;
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                if (mcp.callTool(token, session, "whoami", "{}").status() == 200) {
                    served++;
                }
            } catch (RuntimeException stoppedMeanwhile) {
                // the listener closed between isAlive and the call
            }
            Thread.sleep(100);
        }

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited although requests kept coming").isTrue();
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).contains("drain timeout reached");
        // stopped under traffic: the audit queue is written after the listeners stop, so no served call is missing
        assertThat(served).isGreaterThan(5);
        assertThat(auditedWhoamiCalls()).isEqualTo(served);
    }

    /** The real Main in a child JVM with these drain settings, ready, and one MCP session open in it. */
    private void startWithSession(String quiet, String timeout) throws Exception {
        int port = FreePort.find();
        String base = "http://127.0.0.1:" + port;
        readiness = base + "/observe/health/ready";
        stdout = logs.resolve("stdout.log");
        stderr = logs.resolve("stderr.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dserver.port=" + port);
        command.add("-Dmcp.auth.issuers.0.url=" + idp.issuer());
        command.add("-Dmcp.auth.issuers.0.mode=jwt");
        command.add("-Dshutdown.quiet-period=" + quiet);
        command.add("-Dshutdown.drain-timeout=" + timeout);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear(); // CI's MCP_* variables must not change the server
        process = builder.start();
        try {
            awaitReadiness(200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + Files.readString(stderr) + Files.readString(stdout), e);
        }
        mcp = new McpHttp(base + "/mcp");
        token = idp.sign(idp.claims(base + "/mcp", "mcp:read"));
        session = mcp.openSession(token);
    }

    /** Allowed whoami calls in the audit trail (standard output). */
    private long auditedWhoamiCalls() throws IOException {
        return Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("\"tool\":\"whoami\"") && line.contains("\"decision\":\"allowed\""))
                .count();
    }

    private HttpResponse<String> awaitReadiness(int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(readiness)).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no answer";
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == status) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notListening) {
                last = notListening.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(readiness + " never answered " + status + "; last: " + last);
    }
}
