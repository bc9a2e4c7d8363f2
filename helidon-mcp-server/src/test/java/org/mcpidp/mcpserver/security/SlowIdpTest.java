package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.SecretValues;

/**
 * An IdP that answers introspection only after 3 s, behind a server with read-timeout 1 s, at most 4 IdP calls in
 * flight and a 200 ms wait for a slot: a burst of 32 distinct tokens gets 503 + Retry-After quickly, and the IdP never
 * sees more than 4 concurrent calls (no unbounded queue).
 */
class SlowIdpTest {

    private static final int MAX_IN_FLIGHT = 4;
    private static LocalIssuer idp;
    private static SecurityServer server;
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger maxSeen = new AtomicInteger();

    @BeforeAll
    static void start() {
        idp = LocalIssuer.start();
        idp.onIntrospection(request -> {
            int now = inFlight.incrementAndGet();
            maxSeen.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"active\":false}").build();
        });
        String secret = "slow-secret-" + UUID.randomUUID();
        SecretValues.record(secret);
        server = SecurityServer.start(FreePort.find(), Map.of(
                "mcp.auth.issuers.0.url", idp.issuer(),
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", secret,
                "mcp.auth.read-timeout", "PT1S",
                "mcp.auth.max-concurrent-idp-calls", Integer.toString(MAX_IN_FLIGHT),
                "mcp.auth.idp-queue-timeout", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        server.close();
        idp.close();
    }

    @Test
    void whenTheIdpIsSlowerThanTheTimeoutThen503QuicklyAndBoundedConcurrency() throws Exception {
        int burst = 32;
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                long start = System.nanoTime();
                SecurityServer.Reply reply = server.send(server.post("slow-" + UUID.randomUUID(), SecurityServer.INITIALIZE).build());
                long millis = (System.nanoTime() - start) / 1_000_000;
                return new long[] {reply.status(), millis, reply.header("Retry-After") == null ? 0 : 1};
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        List<Long> latencies = new ArrayList<>();
        for (Future<long[]> future : futures) {
            long[] result = future.get();
            assertThat(result[0]).as("status").isEqualTo(503);
            assertThat(result[2]).as("Retry-After present").isEqualTo(1);
            latencies.add(result[1]);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        pool.shutdown();
        Collections.sort(latencies);
        String line = String.format("slow IdP (3 s answers, read-timeout 1 s, %d slots, queue 200 ms): %d requests -> 503; "
                        + "latency min %d ms, p50 %d ms, max %d ms; wall %d ms; max concurrent calls seen by the IdP %d; "
                        + "IdP calls %d",
                MAX_IN_FLIGHT, burst, latencies.getFirst(), latencies.get(burst / 2), latencies.getLast(), wall,
                maxSeen.get(), idp.requests("/introspect"));
        System.out.println(line);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/slow-idp.txt"), line + "\n");
        assertThat(maxSeen.get()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(latencies.getLast()).as("slowest 503").isLessThan(2500);
    }
}
