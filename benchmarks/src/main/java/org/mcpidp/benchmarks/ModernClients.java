package org.mcpidp.benchmarks;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.mcpidp.testkit.TestRealm;

/**
 * The cluster run's 2026-07-28 clients: the official MCP Java SDK 2.2.0 client ({@code modern.client.McpSyncClient}
 * over its {@code HttpClientMcpTransport}), each with a client-credentials token of its own, calling {@code whoami}
 * through the balancer until a deadline. Every tenth call is a {@code delete_product} of a product that does not exist,
 * which the server first asks the user to confirm: the first request answers with an input request and a sealed
 * {@code requestState}, the SDK answers the form (accept) and sends the second request with that state. Each request
 * is balanced on its own, so the second round usually reaches another instance, which opens a state it did not seal
 * (the instances share {@code MCP_REQUEST_STATE_KEY}); a state it could not open is a 400, a failure here. The
 * expected answer is the tool's own "no product" error. Reports counts and failure messages, never a token.
 */
final class ModernClients {

    /** A product id no instance holds: the confirmed delete answers "no product", and deletes nothing. */
    private static final String ABSENT_PRODUCT = "p-cluster-absent";

    /** What the clients did: calls answered, confirmed round trips, failures (empty = none), tokens fetched. */
    record Report(int clients, long calls, long roundTrips, List<String> failures, int tokenRequests) {
    }

    /** A started run: the report once every client stopped, and a latch counted down by each client's first call. */
    record Run(Future<Report> report, CountDownLatch ready) {

        /** Waits until every client made its first call, or fails (with the report when the clients ended first). */
        void awaitReady(Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                if (report.isDone()) {
                    throw new IllegalStateException("cluster: the 2026-07-28 clients ended before they were ready: "
                            + report.get());
                }
                ClusterRun.require(System.nanoTime() < end, "the 2026-07-28 clients were not ready within "
                        + timeout);
            }
        }
    }

    private final TestRealm realm;
    private final String clientId;
    private final String secret;
    private final String scope;
    private final AtomicInteger tokenRequests = new AtomicInteger();

    ModernClients(TestRealm realm, String clientId, String secret, String scope) {
        this.realm = realm;
        this.clientId = clientId;
        this.secret = secret;
        this.scope = scope;
    }

    /**
     * {@code roundTrips} confirmed deletes from one client, one after the other. Through a round-robin balancer with
     * no other traffic, consecutive requests go to consecutive instances: each state is opened by an instance that
     * did not seal it. Fails on the first round trip that does not end in the tool's answer.
     */
    void confirmAcrossInstances(String mcpUrl, int roundTrips) {
        McpSyncClient client = client(mcpUrl, new TokenSource());
        for (int i = 0; i < roundTrips; i++) {
            String failure = confirmedDelete(client);
            ClusterRun.require(failure == null, "a 2026-07-28 round trip through the balancer failed: " + failure);
        }
    }

    /** Tokens fetched from the IdP so far, by every client of this object: each is a distinct token. */
    int tokenRequests() {
        return tokenRequests.get();
    }

    /** Starts {@code clients} clients calling until {@code duration} is over. */
    Run start(String mcpUrl, int clients, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch ready = new CountDownLatch(clients);
        LongAdder calls = new LongAdder();
        LongAdder roundTrips = new LongAdder();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        int fetchedBefore = tokenRequests.get();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            running.add(pool.submit(() -> callUntil(mcpUrl, deadline, ready, calls, roundTrips, failures)));
        }
        pool.shutdown();
        // Not supplyAsync: the common pool has one worker on two cores, and the SDK client needs it for its own
        // stages; a worker blocked here waiting for the clients would stall every one of them.
        CompletableFuture<Report> report = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            for (Future<?> client : running) {
                try {
                    client.get();
                } catch (Exception e) {
                    failures.add("client ended: " + e);
                }
            }
            report.complete(new Report(clients, calls.sum(), roundTrips.sum(), List.copyOf(failures),
                    tokenRequests.get() - fetchedBefore));
        });
        return new Run(report, ready);
    }

    private void callUntil(String mcpUrl, long deadline, CountDownLatch ready, LongAdder calls, LongAdder roundTrips,
                           List<String> failures) {
        McpSyncClient client = client(mcpUrl, new TokenSource());
        boolean first = true;
        int mine = 0;
        int failed = 0;
        while (System.nanoTime() < deadline && failed <= 20) {
            mine++;
            String failure = mine % 10 == 0 ? confirmedDelete(client) : whoami(client);
            if (failure != null) {
                failures.add(failure);
                failed++;
            } else {
                calls.increment();
                if (mine % 10 == 0) {
                    roundTrips.increment();
                }
                if (first) {
                    first = false;
                    ready.countDown();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A whoami call; null when it answered a result, else what went wrong. */
    private static String whoami(McpSyncClient client) {
        try {
            McpSchema.CallToolResult result = client.tool("whoami").call();
            return Boolean.TRUE.equals(result.isError()) ? "whoami answered a tool error: " + text(result) : null;
        } catch (RuntimeException e) {
            return failure("whoami", e);
        }
    }

    /** A delete the user confirms (two requests); null when the tool answered "no product", else what went wrong. */
    private static String confirmedDelete(McpSyncClient client) {
        try {
            McpSchema.CallToolResult result = client.tool("delete_product")
                    .arguments(Map.of("id", ABSENT_PRODUCT)).call();
            return Boolean.TRUE.equals(result.isError()) && text(result).startsWith("no product") ? null
                    : "confirmed delete_product answered " + text(result);
        } catch (RuntimeException e) {
            return failure("delete_product (confirmed)", e);
        }
    }

    private McpSyncClient client(String mcpUrl, TokenSource tokens) {
        HttpClientMcpTransport transport = HttpClientMcpTransport.builder(mcpUrl)
                // HTTP/1.1 as an MCP client over plain http: no h2c upgrade attempt for the balancer to pass along
                .clientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)))
                .requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) ->
                        headers.set("Authorization", "Bearer " + tokens.get())))
                .build();
        return McpClient.sync(transport)
                .callTimeout(Duration.ofSeconds(30))
                // the user says yes to every confirmation form
                .formElicitation(form -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
                        Map.of("confirm", true)))
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content() == null || result.content().isEmpty() ? "(no content)"
                : result.content().getFirst() instanceof McpSchema.TextContent text ? text.text()
                : result.content().getFirst().toString();
    }

    private static String failure(String call, RuntimeException e) {
        String message = call + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /** One client's token: fetched when first needed and again when half its lifetime is gone. */
    private final class TokenSource {
        private String token;
        private long renewAt;

        synchronized String get() {
            if (token == null || System.nanoTime() >= renewAt) {
                TestRealm.Tokens fresh = realm.clientCredentials(clientId, secret, scope);
                tokenRequests.incrementAndGet();
                token = fresh.accessToken();
                renewAt = System.nanoTime() + Duration.ofSeconds(Math.max(1, fresh.expiresIn() / 2)).toNanos();
            }
            return token;
        }
    }
}
