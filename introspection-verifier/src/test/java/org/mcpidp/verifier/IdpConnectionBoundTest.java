package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/**
 * A burst of 1,000 distinct cold tokens against a slow IdP: the verifier opens at most max-concurrent-idp-calls
 * connections (MockWebServer numbers each accepted connection), keeps at most that many calls in flight, and answers
 * the rest "unavailable" (503) after the queue timeout instead of queueing them all.
 */
class IdpConnectionBoundTest {

    private static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    private static final int MAX_IN_FLIGHT = 8;
    private static final int BURST = 1_000;

    private LocalIssuer idp;

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    @Test
    void whenAThousandColdTokensArriveAtOnceThenConnectionsAndCallsStayBoundedAndTheRestFailFast() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "secret").build())
                .maxConcurrentIdpCalls(MAX_IN_FLIGHT, Duration.ofMillis(300))
                .build();
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        Set<Integer> connections = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        idp.onIntrospection(request -> {
            connections.add(request.getConnectionIndex());
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100); // a slow IdP
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return LocalIssuer.active(claims);
        });

        long started = System.nanoTime();
        int ok = 0;
        int unavailable = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String token = "cold-token-" + i;
                results.add(pool.submit(() -> verify(verifier, token)));
            }
            for (Future<Boolean> result : results) {
                if (result.get(30, TimeUnit.SECONDS)) {
                    ok++;
                } else {
                    unavailable++;
                }
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("IDP-BURST tokens=%d ok=%d unavailable=%d connections=%d maxInFlight=%d "
                        + "introspectionCalls=%d rejectedBusy=%d in %d ms%n", BURST, ok, unavailable, connections.size(),
                maxInFlight.get(), idp.requests("/introspect"), verifier.stats().rejectedBusy(), millis);

        assertThat(connections.size()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(ok).isGreaterThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(unavailable).isGreaterThan(BURST / 2);
        assertThat(ok + unavailable).isEqualTo(BURST);
        // the rejected ones waited at most the queue timeout, not their turn behind 1,000 slow calls
        assertThat(millis).isLessThan(10_000);
    }

    private static boolean verify(TokenVerifier verifier, String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (TokenVerificationException e) {
            if (e.failure() instanceof VerificationFailure.Unavailable) {
                return false;
            }
            throw new AssertionError("unexpected failure " + e.failure(), e);
        }
    }

}
