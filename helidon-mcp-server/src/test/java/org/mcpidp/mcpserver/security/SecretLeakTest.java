package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.testkit.SecretValues;
import org.mcpidp.testkit.OutputCapture;
import org.mcpidp.testkit.SecretScanner;

/**
 * Secrets, issue 8: no access token, client secret or password used in a scenario appears in its logs or outputs. Runs
 * a short real scenario (Keycloak, introspection mode, FINE logging of the server and the verifier, answers 200, 401,
 * 400, a session DELETE) with stdout, stderr and java.util.logging captured, then searches that text, the transcripts
 * it wrote and the part of the Keycloak log written meanwhile for every value {@link SecretValues} holds. It needs no
 * other class to run before it; the same check runs after every class of the module through
 * {@link SecretLeakScanExtension}.
 */
class SecretLeakTest {

    @Test
    void whenAScenarioUsesTokensSecretsAndPasswordsThenNoneAppearsInItsLogsOrOutputs() throws Exception {
        KeycloakServer keycloak = KeycloakServer.shared();
        SecretValues.record(keycloak.adminPassword());
        Optional<Path> keycloakLog = keycloak.logFile().filter(Files::isRegularFile);
        long logOffset = keycloakLog.map(SecretScanner::size).orElse(0L);
        FileTime started = FileTime.from(Instant.now());
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        List<Logger> verbose = List.of(Logger.getLogger("org.mcpidp"), Logger.getLogger("io.helidon.webserver"));
        String captured;
        try (OutputCapture capture = OutputCapture.start()) {
            verbose.forEach(l -> l.setLevel(Level.FINEST));
            Set<String> before = SecretValues.all();
            scenario(keycloak);
            assertThat(SecretValues.all()).as("secret values this scenario recorded").hasSizeGreaterThan(before.size() + 4);
            captured = capture.text();
        } finally {
            verbose.forEach(l -> l.setLevel(null));
            root.setLevel(rootLevel);
        }

        Map<String, String> places = new LinkedHashMap<>();
        places.put("captured stdout/stderr/logging of the scenario", captured);
        try (Stream<Path> txt = Files.list(Path.of("target"))) {
            for (Path file : (Iterable<Path>) txt::iterator) {
                String name = file.getFileName().toString();
                if ((name.endsWith(".txt") || name.endsWith(".log")) && Files.isRegularFile(file)
                        && Files.getLastModifiedTime(file).compareTo(started) >= 0) {
                    places.put(file.toString(), Files.readString(file));
                }
            }
        }
        if (keycloakLog.isPresent()) {
            places.put(keycloakLog.get() + " (scenario part)", SecretScanner.readFrom(keycloakLog.get(), logOffset));
        }
        Set<String> secrets = SecretValues.all();
        List<String> leaks = SecretScanner.leaks(places, secrets);
        System.out.printf("secrets scan: %d secret values searched in %d places (%,d chars), %d leaks%n",
                secrets.size(), places.size(), places.values().stream().mapToLong(String::length).sum(), leaks.size());
        assertThat(secrets).as("secret values recorded").hasSizeGreaterThan(5);
        assertThat(leaks).as("places containing a secret (value shown as a hash prefix)").isEmpty();
    }

    /** 200, 401 (garbage and a tampered real token), 400 (two Authorization headers), session DELETE. */
    private static void scenario(KeycloakServer keycloak) throws Exception {
        int port = FreePort.find();
        try (TestRealm realm = TestRealm.create(keycloak)) {
            String serverSecret = realm.resourceServerClient("mcp-server");
            SecretValues.record(serverSecret);
            realm.clientScope("mcp:read", SecurityServer.resource(port), "mcp-server");
            String agentSecret = realm.agentClient("agent", "mcp:read");
            SecretValues.record(agentSecret);
            String token = realm.clientCredentials("agent", agentSecret, "mcp:read").accessToken();
            SecretValues.record(token);
            String garbage = "leak-test-garbage-token-" + HexFormat.of().toHexDigits(System.nanoTime());
            SecretValues.record(garbage);
            String tampered = token.substring(0, token.length() - 6) + "AAAAAA";
            SecretValues.record(tampered);
            SecurityServer server = SecurityServer.start(port, Map.of(
                    "mcp.auth.issuers.0.url", realm.issuer(),
                    "mcp.auth.issuers.0.mode", "introspection",
                    "mcp.auth.issuers.0.client-id", "mcp-server",
                    "mcp.auth.issuers.0.client-secret", serverSecret));
            try {
                SecurityServer.Reply ok = server.send(server.post(token, SecurityServer.INITIALIZE).build());
                assertThat(ok.status()).isEqualTo(200);
                assertThat(server.send(server.post(garbage, SecurityServer.INITIALIZE).build()).status()).isEqualTo(401);
                assertThat(server.send(server.post(tampered, SecurityServer.INITIALIZE).build()).status()).isEqualTo(401);
                assertThat(server.send(server.post(token, SecurityServer.INITIALIZE)
                        .addHeader("Authorization", "Bearer " + garbage).build()).status()).isEqualTo(400);
                String session = ok.header("Mcp-Session-Id");
                if (session != null) {
                    server.send(server.post(token, "{}").delete().header("Mcp-Session-Id", session).build());
                }
            } finally {
                server.close();
            }
        }
    }
}
