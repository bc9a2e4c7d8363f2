package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.ResourceGauges;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.testkit.SecretValues;

/**
 * Keycloak stopped for 20 s in the middle of a load run (16 keep-alive clients calling tools/call whoami): cached
 * tokens keep working, unknown tokens get 503 + Retry-After and never 200, the server recovers within 5 s of Keycloak
 * being back, and no platform threads leak. Needs a Keycloak this JVM started (process mode): skipped against
 * {@code -Dkeycloak.url}. The CI default keeps Keycloak down for the 20 s;
 * {@code -Dsecurity.full=true} (measurements) keeps it down 60 s, {@code -Dsecurity.outage.seconds=N} sets it.
 */
class IdpOutageTest {

    private static final int CLIENTS = 16;

    @Test
    void whenKeycloakIsStoppedDuringLoadThenCachedTokensWorkUnknownGet503AndItRecovers() throws Exception {
        assumeTrue(!KeycloakServer.usesExternalServer(),
                "IdP outage needs a Keycloak this JVM can stop and start (run without -Dkeycloak.url)");
        int outageSeconds = Integer.getInteger("security.outage.seconds", Boolean.getBoolean("security.full") ? 60 : 20);
        KeycloakServer keycloak = KeycloakServer.shared();
        int port = FreePort.find();
        String resource = SecurityServer.resource(port);
        TestRealm realm = TestRealm.create(keycloak);
        String serverSecret = realm.resourceServerClient("mcp-server");
        SecretValues.record(serverSecret);
        realm.clientScope("mcp:read", resource, "mcp-server");
        String agentSecret = realm.agentClient("agent", "mcp:read");
        SecretValues.record(agentSecret);
        List<String> cachedTokens = new ArrayList<>();
        List<String> unknownTokens = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            cachedTokens.add(realm.clientCredentials("agent", agentSecret, "mcp:read").accessToken());
        }
        for (int i = 0; i < 40; i++) {
            unknownTokens.add(realm.clientCredentials("agent", agentSecret, "mcp:read").accessToken());
        }
        cachedTokens.forEach(SecretValues::record);
        unknownTokens.forEach(SecretValues::record);
        SecurityServer server = SecurityServer.start(port, Map.of(
                "mcp.auth.issuers.0.url", realm.issuer(),
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", serverSecret,
                "mcp.auth.cache.max-lifetime", "PT5M",
                "mcp.auth.connect-timeout", "PT1S",
                "mcp.auth.read-timeout", "PT2S"));
        List<String> sessions = new ArrayList<>();
        for (String token : cachedTokens) {
            try (Response r = server.http.newCall(server.post(token, SecurityServer.INITIALIZE).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                sessions.add(r.header("Mcp-Session-Id"));
            }
            try (Response r = server.http.newCall(server.post(token, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                    .header("Mcp-Session-Id", sessions.getLast()).build()).execute()) {
                assertThat(r.code()).isLessThan(300);
            }
        }
        Set<Thread> threadsBefore = ResourceGauges.liveThreads();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean down = new AtomicBoolean(false);
        AtomicLong ok = new AtomicLong();
        AtomicLong okDuringOutage = new AtomicLong();
        AtomicLong failedCached = new AtomicLong();
        // status (and outage phase) -> count, plus the first bodies: a bare count says nothing about the cause
        Map<String, AtomicLong> failedByStatus = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failedBodies = new ConcurrentLinkedQueue<>();
        long loadStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String token = cachedTokens.get(i);
            String session = sessions.get(i);
            load.add(pool.submit(() -> {
                // MCP: a request id MUST NOT be reused within a session. Reusing one id (as this test first did) races
                // with the server releasing it after the answer was sent: 409 "already in progress" (see the notes).
                long rpcId = 1;
                while (running.get()) {
                    Request call = server.post(token, "{\"jsonrpc\":\"2.0\",\"id\":" + (++rpcId) + ",\"method\":\"tools/call\","
                            + "\"params\":{\"name\":\"whoami\",\"arguments\":{}}}").header("Mcp-Session-Id", session)
                            .header("MCP-Protocol-Version", "2025-06-18").build();
                    try (Response r = server.http.newCall(call).execute()) {
                        String body = r.body().string();
                        if (r.code() == 200) {
                            ok.incrementAndGet();
                            if (down.get()) {
                                okDuringOutage.incrementAndGet();
                            }
                        } else {
                            failedCached.incrementAndGet();
                            String key = r.code() + (down.get() ? " (Keycloak down)" : " (Keycloak up)");
                            failedByStatus.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                            if (failedBodies.size() < 5) {
                                failedBodies.add(String.format("t+%d ms %d %s %s", (System.nanoTime() - loadStart) / 1_000_000,
                                        r.code(), r.header("WWW-Authenticate", ""),
                                        body.length() > 300 ? body.substring(0, 300) : body));
                            }
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(3000);
        keycloak.stop();
        down.set(true);
        long outageStart = System.nanoTime();
        AtomicInteger unknown200 = new AtomicInteger();
        AtomicInteger unknown503 = new AtomicInteger();
        AtomicInteger unknownOther = new AtomicInteger();
        int next = 0;
        while (System.nanoTime() - outageStart < outageSeconds * 1_000_000_000L && next < unknownTokens.size() - 5) {
            SecurityServer.Reply reply = server.send(server.post(unknownTokens.get(next++), SecurityServer.INITIALIZE).build());
            if (reply.status() == 200) {
                unknown200.incrementAndGet();
            } else if (reply.status() == 503 && reply.header("Retry-After") != null) {
                unknown503.incrementAndGet();
            } else {
                unknownOther.incrementAndGet();
            }
            Thread.sleep(outageSeconds * 1000L / 30);
        }
        long remaining = outageSeconds * 1_000_000_000L - (System.nanoTime() - outageStart);
        if (remaining > 0) {
            Thread.sleep(remaining / 1_000_000);
        }
        long restartStart = System.nanoTime();
        keycloak.start();
        down.set(false);
        long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;
        long back = System.nanoTime();
        long recoveryMillis = -1;
        String probe = unknownTokens.get(unknownTokens.size() - 1);
        while (System.nanoTime() - back < 15_000_000_000L) {
            if (server.send(server.post(probe, SecurityServer.INITIALIZE).build()).status() == 200) {
                recoveryMillis = (System.nanoTime() - back) / 1_000_000;
                break;
            }
            Thread.sleep(100);
        }
        running.set(false);
        for (Future<?> f : load) {
            f.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the test's own clients ended").isTrue();
        Thread.sleep(2000);
        List<String> threadsStarted = ResourceGauges.threadsStartedSince(threadsBefore);
        String line = String.format("IdP outage %d s under load (%d clients): cached whoami 200s total %d (during outage %d), "
                        + "cached non-200 %d %s; unknown tokens during outage: 200=%d, 503+Retry-After=%d, other=%d; "
                        + "Keycloak restart %d ms; recovery after Keycloak ready %d ms; threads started and still alive %s",
                outageSeconds, CLIENTS, ok.get(), okDuringOutage.get(), failedCached.get(), failedByStatus, unknown200.get(),
                unknown503.get(), unknownOther.get(), restartMillis, recoveryMillis, threadsStarted);
        StringBuilder transcript = new StringBuilder(line).append('\n');
        failedBodies.forEach(b -> transcript.append("  cached non-200: ").append(b).append('\n'));
        System.out.print(transcript);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/idp-outage.txt"), transcript);
        server.close();
        realm.close();

        assertThat(unknown200.get()).as("unverified tokens answered 200 during the outage").isZero();
        assertThat(unknownOther.get()).as("unknown tokens not answered 503 + Retry-After").isZero();
        assertThat(unknown503.get()).isPositive();
        assertThat(okDuringOutage.get()).as("cached tokens kept working").isPositive();
        assertThat(failedCached.get()).as("cached tokens refused: %s %s", failedByStatus, failedBodies).isZero();
        assertThat(recoveryMillis).as("recovery after Keycloak is back").isBetween(0L, 5000L);
        // Counting all threads (as this test first did) also counted other tests' idle pools ending meanwhile and the
        // JDK's pooled workers: 61 -> 58 in one run, +10 in another. Only threads started during the run and kept count.
        assertThat(threadsStarted).as("threads started during the outage and still alive").isEmpty();
    }
}
