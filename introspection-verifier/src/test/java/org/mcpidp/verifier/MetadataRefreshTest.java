package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpidp.verifier.Failures.failureOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/**
 * Discovered metadata is refreshed in the background (on the schedule, and after a source finds its IdP
 * unavailable), a moved introspection endpoint is followed without a restart, and a failed refresh keeps the last
 * good copy. The schedule is driven by the test: the injected scheduler hands over the task, the test runs it.
 */
class MetadataRefreshTest {

    private static final String RESOURCE = "https://mcp.example.test/mcp";
    private static final String TOKEN = "opaque-token-1234567890";
    private static final String MOVED = "/introspect-v2";

    private LocalIssuer idp;
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Duration> intervals = new ArrayList<>();
    private volatile boolean moved;
    private volatile boolean discoveryBroken;
    private final CountDownLatch discoveredAgain = new CountDownLatch(2);

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
        idp.overrideAll(this::answer);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    /** The LocalIssuer's own document, except where the test moved the endpoint or broke discovery. */
    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals(LocalIssuer.REALM_PATH + "/.well-known/openid-configuration")) {
            discoveredAgain.countDown();
            if (discoveryBroken) {
                return LocalIssuer.json(500, "{}");
            }
            String endpoint = idp.issuer() + (moved ? MOVED : "/introspect");
            return LocalIssuer.json(200, "{\"issuer\":\"" + idp.issuer() + "\",\"jwks_uri\":\"" + idp.jwksUri()
                    + "\",\"introspection_endpoint\":\"" + endpoint + "\"}");
        }
        if (path.equals(LocalIssuer.REALM_PATH + MOVED)) {
            return LocalIssuer.active(idp.claims(RESOURCE, "mcp:read"));
        }
        if (path.equals(LocalIssuer.REALM_PATH + "/introspect")) {
            // the old endpoint: fine until the IdP moved it, then gone (the IdP answers 503 there)
            return moved ? LocalIssuer.json(503, "{}") : LocalIssuer.active(idp.claims(RESOURCE, "mcp:read"));
        }
        return new MockResponse.Builder().code(404).build();
    }

    private TokenVerifier verifier() {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "secret").build())
                .cache(CacheSettings.disabled())
                .metadataRefreshInterval(Duration.ofMinutes(3))
                .metadataScheduler((interval, task) -> {
                    intervals.add(interval);
                    scheduled.add(task);
                })
                .build();
    }

    private void runSchedule() {
        scheduled.forEach(Runnable::run);
    }

    @Test
    void whenTheDiscoveredIntrospectionEndpointMovesThenTheScheduledRefreshFollowsItWithoutARestart() throws Exception {
        TokenVerifier verifier = verifier();
        assertThat(intervals).containsExactly(Duration.ofMinutes(3));
        verifier.verify(TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(1);

        moved = true;
        runSchedule();

        assertThat(verifier.verify(TOKEN).scopes()).containsExactly("mcp:read");
        assertThat(idp.requests(MOVED)).isEqualTo(1);
        assertThat(idp.requests("/introspect")).isEqualTo(1);
        assertThat(idp.requests("/.well-known/openid-configuration")).isEqualTo(2);
    }

    @Test
    void whenARefreshFailsThenTheLastGoodCopyStays() throws Exception {
        TokenVerifier verifier = verifier();
        verifier.verify(TOKEN);

        discoveryBroken = true;
        runSchedule();

        assertThat(idp.requests("/.well-known/openid-configuration")).isEqualTo(2);
        assertThat(verifier.ready()).isTrue();
        assertThat(verifier.verify(TOKEN).subject()).isEqualTo("user-123");
        assertThat(idp.requests("/introspect")).isEqualTo(2);
    }

    @Test
    void whenTheEndpointAnswersUnavailableThenARefreshFollowsInTheBackground() throws Exception {
        TokenVerifier verifier = verifier();
        verifier.verify(TOKEN);

        moved = true; // no scheduled run: only the failure can make the verifier look again
        assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.Unavailable.class);

        // the refresh runs on its own virtual thread; wait for its discovery request, bounded
        assertThat(discoveredAgain.await(10, TimeUnit.SECONDS)).isTrue();
        PolicyTokenVerifier policyVerifier = (PolicyTokenVerifier) verifier;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!endpointIsMoved(policyVerifier) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertThat(verifier.verify(TOKEN).scopes()).containsExactly("mcp:read");
        assertThat(idp.requests(MOVED)).isEqualTo(1);
    }

    private boolean endpointIsMoved(PolicyTokenVerifier verifier) {
        return verifier.route(idp.issuer()).orElseThrow().metadata().orElseThrow().introspectionEndpoint()
                .toString().endsWith(MOVED);
    }

    @Test
    void whenManyFirstCallersArriveAtOnceThenDiscoveryIsFetchedOnceAndAllAreServed() throws Exception {
        TokenVerifier verifier = verifier();
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 32; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    verifier.verify(TOKEN);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread caller : callers) {
            caller.join(Duration.ofSeconds(20));
        }
        assertThat(failures).isEmpty();
        assertThat(idp.requests("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void whenEndpointsAreConfiguredThenNothingIsScheduled() {
        TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "secret")
                        .introspectionEndpoint(idp.introspectionEndpoint()).build())
                .metadataScheduler((interval, task) -> scheduled.add(task))
                .build();
        assertThat(scheduled).isEmpty();
    }

    @Test
    void whenAnIntervalIsNotPositiveThenTheBuilderRefuses() {
        assertThatThrownBy(() -> TokenVerifier.builder().metadataRefreshInterval(Duration.ZERO))
                .hasMessageContaining("metadataRefreshInterval");
    }
}
