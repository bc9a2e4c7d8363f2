package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * Secrets, issue 8: no access token, client secret or password used in a run appears in its logs or outputs. Runs a
 * short real scenario (Keycloak, introspection mode, FINE logging of the server and the verifier, answers 200, 401,
 * 400, a session DELETE) with stdout, stderr and java.util.logging captured, then searches that text and the files the
 * suite wrote (target/*.txt transcripts, surefire reports, the Keycloak log) for every value {@link SecretValues}
 * collected in this JVM. A hit names the place and a SHA-256 prefix of the value, never the value. Named "Zz" so it
 * runs after the other classes when surefire orders them alphabetically.
 */
class ZzSecretLeakTest {

    @Test
    void whenTheRunIsOverThenNoTokenSecretOrPasswordAppearsInItsLogsOrOutputs() throws Exception {
        KeycloakServer keycloak = KeycloakServer.shared();
        SecretValues.record(keycloak.adminPassword());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        Handler handler = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                synchronized (captured) {
                    captured.writeBytes(format.format(record).getBytes(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        List<Logger> verbose = List.of(Logger.getLogger("org.mcpidp"), Logger.getLogger("io.helidon.webserver"));
        root.addHandler(handler);
        verbose.forEach(l -> l.setLevel(Level.FINEST));
        System.setOut(new PrintStream(tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err, captured), true, StandardCharsets.UTF_8));
        try {
            scenario(keycloak);
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(handler);
            verbose.forEach(l -> l.setLevel(null));
            root.setLevel(rootLevel);
        }

        Map<String, String> places = new LinkedHashMap<>();
        places.put("captured stdout/stderr/logging of this class", captured.toString(StandardCharsets.UTF_8));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> txt = Files.list(Path.of("target"))) {
            txt.filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".log")).forEach(files::add);
        }
        Path reports = Path.of("target/surefire-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> all = Files.list(reports)) {
                all.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        keycloak.logFile().filter(Files::isRegularFile).ifPresent(files::add);
        for (Path file : files) {
            places.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        }
        Set<String> secrets = SecretValues.all();
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> place : places.entrySet()) {
            for (String secret : secrets) {
                if (place.getValue().contains(secret)) {
                    leaks.add(place.getKey() + ": secret sha256:" + sha256Prefix(secret) + " (" + secret.length() + " chars)");
                }
            }
        }
        String summary = String.format("secrets scan: %d secret values searched in %d places (%d files, %,d chars), %d leaks%n",
                secrets.size(), places.size(), files.size(), places.values().stream().mapToLong(String::length).sum(),
                leaks.size());
        Files.writeString(Path.of("target/secrets-scan.txt"), summary + String.join("\n", leaks));
        System.out.print(summary);
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

    private static OutputStream tee(OutputStream original, ByteArrayOutputStream copy) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, len);
                }
            }
        };
    }

    private static String sha256Prefix(String value) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash).substring(0, 12);
    }
}
