package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpCycles;
import org.mcpidp.testkit.ResourceGauges;

/**
 * Clients that initialize, call one tool and never DELETE: the server (in this JVM) stays flat. Heap after a full GC
 * returns within 10% of its level after the first 1,000 cycles, sessions stay under mcp.sessions.max (in our registry
 * and in the MCP SDK engine), and neither platform threads nor file descriptors grow.
 *
 * <p>Runs the 100,000 cycles (about 50 s on 2 shared cores); {@code -Dsoak.cycles=N} changes the count. Tagged
 * {@value #RESOURCE_BOUNDS}: the module's pom runs it in a JVM of its own (surefire execution {@code resource-bounds}),
 * where threads and heap left behind by other test classes cannot move the measurements.
 */
@Tag(SessionCyclesTest.RESOURCE_BOUNDS)
class SessionCyclesTest {

    static final String RESOURCE_BOUNDS = "resource-bounds";

    private static final int CYCLES = 100_000;
    private static final int WARM_UP = 1_000;
    private static final int MAX_SESSIONS = 500;
    private static final int WORKERS = 8;
    private static final int SUBJECTS = 4;

    @Test
    void whenClientsNeverCloseTheirSessionsThenHeapSessionsThreadsAndDescriptorsStayFlat() throws Exception {
        int cycles = Integer.getInteger("soak.cycles", CYCLES);
        try (SdkTestServer server = SdkTestServer.builder().set(Map.of(
                "mcp.sessions.max", Integer.toString(MAX_SESSIONS),
                "mcp.sessions.max-per-subject", Integer.toString(MAX_SESSIONS),
                "mcp.sessions.idle-timeout", "PT10M")).start()) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < SUBJECTS; i++) {
                tokens.add(server.token("cycler-" + i, "mcp:read"));
            }
            McpCycles client = new McpCycles(server.url, "echo", WORKERS);
            Map<McpCycles.Result, LongAdder> results = new EnumMap<>(McpCycles.Result.class);
            for (McpCycles.Result result : McpCycles.Result.values()) {
                results.put(result, new LongAdder());
            }
            try (ExecutorService workers = Executors.newFixedThreadPool(WORKERS)) {
                long start = System.nanoTime();
                run(workers, client, tokens, WARM_UP, results);
                ResourceGauges warm = ResourceGauges.measure();
                List<String> warmThreads = ResourceGauges.threadNames();
                long warmNanos = System.nanoTime() - start;
                System.out.println("CYCLES after " + WARM_UP + ": " + warm.describe() + " sessions="
                        + server.sessions().open() + " engine=" + server.engineSessions());

                long rest = System.nanoTime();
                run(workers, client, tokens, cycles - WARM_UP, results);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - rest);
                ResourceGauges end = ResourceGauges.measure();
                System.out.println("CYCLES after " + cycles + ": " + end.describe() + " sessions="
                        + server.sessions().open() + " engine=" + server.engineSessions() + " " + server.sessions() + " results=" + results
                        + " warm-up " + TimeUnit.NANOSECONDS.toMillis(warmNanos) + " ms, rest " + seconds + " s ("
                        + (cycles - WARM_UP) / Math.max(1, seconds) + " cycles/s)");
                List<String> newThreads = new ArrayList<>(ResourceGauges.threadNames());
                warmThreads.forEach(newThreads::remove);
                System.out.println("CYCLES threads started after the warm-up: " + newThreads);

                // A session is closed when MAX_SESSIONS newer ones were opened before its client's next request
                // (about 0.1 s at this rate): a client descheduled that long on a busy machine gets 404 and would
                // re-initialize, as MCP prescribes. Rare, and nothing else is allowed.
                long gone = results.get(McpCycles.Result.SESSION_GONE).sum();
                assertThat(results.get(McpCycles.Result.OK).sum() + gone).as(client.lastOther()).isEqualTo(cycles);
                assertThat(gone).isLessThanOrEqualTo(cycles / 1000);
                assertThat(server.sessions().open()).isLessThanOrEqualTo(MAX_SESSIONS);
                assertThat(server.engineSessions()).isLessThanOrEqualTo(MAX_SESSIONS);
                assertThat(server.sessions().evictedForCapacity()).isGreaterThanOrEqualTo(cycles - MAX_SESSIONS);
                assertThat((double) end.heapAfterGc()).as("heap after GC vs after the first 1,000 cycles")
                        .isLessThanOrEqualTo(warm.heapAfterGc() * 1.10);
                assertThat(end.threads()).as("threads after warm-up %s, at the end %s", warmThreads,
                        ResourceGauges.threadNames()).isLessThanOrEqualTo(warm.threads() + 2);
                // OkHttp's background threads (the test's client and the verifier's) come and go with its task queue:
                // bounded apart (a leak over 100,000 cycles would show thousands), since their count at one instant
                // moves by a few between two measurements.
                assertThat(end.okHttpThreads()).as("OkHttp background threads").isLessThanOrEqualTo(16);
                assertThat(end.fileDescriptors()).isLessThanOrEqualTo(warm.fileDescriptors() + 4);
            } finally {
                client.close();
            }
        }
    }

    private static void run(ExecutorService workers, McpCycles client, List<String> tokens, int cycles,
                            Map<McpCycles.Result, LongAdder> results) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String token = tokens.get(w % tokens.size());
            running.add(workers.submit(() -> {
                while (next.getAndIncrement() < cycles && System.nanoTime() < deadline) {
                    results.get(client.cycle(token)).increment();
                }
            }));
        }
        for (Future<?> worker : running) {
            worker.get(310, TimeUnit.SECONDS);
        }
    }
}
