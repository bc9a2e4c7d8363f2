package org.mcpidp.mcpserver;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.mcpidp.mcpauth.SessionStats;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.verifier.VerifierStats;
import org.mcpidp.testkit.McpCycles;
import org.mcpidp.testkit.ResourceGauges;

/**
 * Soak mode: the real server (this JVM) trusting a local issuer by introspection, under steady load from clients
 * that initialize, call {@code whoami} and never close their sessions, with token churn: every subject gets a new
 * opaque token each rotation (default every minute) living 1.5 rotations, and a few clients keep using the previous
 * token until it expires (their 401s are expected). After a warm-up under the same load, and then every report
 * interval, it prints heap after a full GC, sessions (ours and the extension's LRU/id list), platform threads, file
 * descriptors, verifier cache size and IdP calls in the interval, then a verdict line: {@code SOAK ok} or
 * {@code SOAK fail <reason>}.
 *
 * <p>The heap verdict is a trend, not two end points: the least-squares slope of heap after a full GC (read from
 * the collection's own record, {@link ResourceGauges#heapAfterFullGc}) over all samples (the warm-up's end and every
 * report) against the cycles done, in MB per 10,000 cycles, must stay at most {@value #HEAP_BOUND_MB_PER_10K_CYCLES}
 * (about 200 bytes kept per cycle), and the fitted line must rise at most 10% of the first sample over the run (so a
 * long run still catches a slow leak). One sample 4 MB off at the end of a CI run's nine moves the slope by less
 * than 1; a leak of a few hundred bytes per cycle moves every later sample, and the slope with them.
 *
 * <pre>
 *   benchmarks/soak.sh --minutes 30           # the full run
 *   benchmarks/soak.sh --minutes 2 --report-seconds 15 --rotate-seconds 30   # CI (SoakCiTest): 1 min warm-up + 2
 * </pre>
 * Options: --minutes N (measured, after the warm-up), --warmup-seconds W (two rotations), --report-seconds S (60),
 * --rotate-seconds R (60), --rate cycles/s (200), --workers W (4), --subjects N (8). Test only:
 * --leak-bytes-per-cycle N keeps N more bytes per cycle for the rest of the run (a leak the verdict must catch).
 */
public final class Soak {

    private static final int MAX_SESSIONS = 1000;
    private static final int PER_SUBJECT = 400;
    /** OkHttp's background threads come and go with its task queue; a leak of them would show hundreds. */
    private static final int MAX_OKHTTP_THREADS = 16;
    /** Largest heap trend that is not a leak: 2 MB per 10,000 cycles, about 200 bytes kept per cycle. */
    static final double HEAP_BOUND_MB_PER_10K_CYCLES = 2.0;
    /** Largest rise of the fitted heap line over the measured cycles, as a share of the heap at the warm-up's end. */
    static final double HEAP_BOUND_RISE = 0.10;
    private static final double MB = 1024 * 1024;
    /** What {@code --leak-bytes-per-cycle} keeps (test only); emptied when the run ends. */
    private static final List<byte[]> LEAKED = Collections.synchronizedList(new ArrayList<>());

    private record Options(int minutes, int warmupSeconds, int reportSeconds, int rotateSeconds, int rate,
                           int workers, int subjects, int leakBytesPerCycle) {
        static Options parse(String[] args) {
            int minutes = 30;
            int warmup = -1;
            int report = 60;
            int rotate = 60;
            int rate = 200;
            int workers = 4;
            int subjects = 8;
            int leak = 0;
            for (int i = 0; i + 1 < args.length; i += 2) {
                int value = Integer.parseInt(args[i + 1]);
                switch (args[i]) {
                    case "--minutes" -> minutes = value;
                    case "--warmup-seconds" -> warmup = value;
                    case "--report-seconds" -> report = value;
                    case "--rotate-seconds" -> rotate = value;
                    case "--rate" -> rate = value;
                    case "--workers" -> workers = value;
                    case "--subjects" -> subjects = value;
                    case "--leak-bytes-per-cycle" -> leak = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            // Two rotations by default: new tokens, stale ones refused, the negative cache, all have run before the
            // first sample, so the trend measures the steady state and not the first use of a code path.
            return new Options(minutes, warmup < 0 ? 2 * rotate : warmup, report, rotate, rate, workers, subjects,
                    leak);
        }
    }

    /** One token of one subject, valid until {@code expires}. */
    private record Issued(String token, Map<String, Object> claims, Instant expires) {
    }

    /** One heap measurement: heap after a full GC, in bytes, when {@code cycles} cycles were done. */
    record HeapSample(long cycles, long heapAfterGc) {
    }

    private final Options options;
    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> byToken = new ConcurrentHashMap<>();

    private Soak(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        String verdict = run(args, System.out);
        System.exit(verdict.equals("SOAK ok") ? 0 : 1);
    }

    /** Runs the soak and returns (and prints) the verdict line. */
    public static String run(String[] args, PrintStream out) {
        String verdict;
        try {
            verdict = new Soak(Options.parse(args), out).soak();
        } catch (Exception e) {
            verdict = "SOAK fail " + e;
        } finally {
            LEAKED.clear();
        }
        out.println(verdict);
        return verdict;
    }

    private String soak() throws Exception {
        Duration cacheLifetime = Duration.ofSeconds(Math.min(60, options.rotateSeconds()));
        try (LocalIdpServer server = LocalIdpServer.start(Map.of(
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", "soak-secret",
                "mcp.auth.cache.max-lifetime", cacheLifetime.toString(),
                "mcp.sessions.max", Integer.toString(MAX_SESSIONS),
                "mcp.sessions.max-per-subject", Integer.toString(PER_SUBJECT),
                "mcp.sessions.idle-timeout", "PT2M"))) {
            server.idp.onIntrospection(request -> {
                String body = request.getBody() == null ? "" : request.getBody().string(StandardCharsets.UTF_8);
                String token = java.net.URLDecoder.decode(body.replaceAll(".*token=([^&]*).*", "$1"),
                        StandardCharsets.UTF_8);
                Issued issued = byToken.get(token);
                if (issued == null || issued.expires().isBefore(Instant.now())) {
                    return LocalIssuer.json(200, "{\"active\":false}");
                }
                return LocalIssuer.active(issued.claims());
            });
            AtomicReferenceArray<Issued> current = new AtomicReferenceArray<>(options.subjects());
            AtomicReferenceArray<Issued> previous = new AtomicReferenceArray<>(options.subjects());
            rotate(server, current, previous);

            McpCycles client = new McpCycles(server.mcpUrl, "whoami", options.workers());
            LongAdder cycles = new LongAdder();
            LongAdder ok = new LongAdder();
            LongAdder expiredRefused = new LongAdder();
            LongAdder unexpected = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            int leakBytes = options.leakBytesPerCycle();
            long started = System.nanoTime();
            long measuredFrom = started + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
            long end = measuredFrom + TimeUnit.MINUTES.toNanos(options.minutes());
            ExecutorService workers = Executors.newFixedThreadPool(options.workers());
            long perWorkerNanos = TimeUnit.SECONDS.toNanos(1) * options.workers() / Math.max(1, options.rate());
            for (int w = 0; w < options.workers(); w++) {
                workers.submit(() -> {
                    long next = System.nanoTime();
                    while (!stop.get()) {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        int subject = r.nextInt(options.subjects());
                        Issued stale = previous.get(subject);
                        boolean useStale = stale != null && r.nextInt(20) == 0;
                        Issued issued = useStale ? stale : current.get(subject);
                        McpCycles.Result result = client.cycle(issued.token());
                        cycles.increment();
                        if (leakBytes > 0) {
                            LEAKED.add(new byte[leakBytes]);
                        }
                        switch (result) {
                            case OK -> ok.increment();
                            case UNAUTHORIZED -> {
                                if (issued.expires().isBefore(Instant.now().plusSeconds(2))) {
                                    expiredRefused.increment();
                                } else {
                                    unexpected.increment();
                                }
                            }
                            default -> unexpected.increment();
                        }
                        next += perWorkerNanos;
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        } else {
                            next = System.nanoTime(); // behind: do not burst to catch up
                        }
                    }
                    return null;
                });
            }

            out.printf("SOAK start: %d min after a %d s warm-up, report every %d s, new tokens every %d s, %d cycles/s "
                            + "target, %d workers, %d subjects, sessions max %d (per subject %d, idle PT2M), cache "
                            + "lifetime %s%s%n",
                    options.minutes(), options.warmupSeconds(), options.reportSeconds(), options.rotateSeconds(),
                    options.rate(), options.workers(), options.subjects(), MAX_SESSIONS, PER_SUBJECT, cacheLifetime,
                    leakBytes > 0 ? ", LEAKING " + leakBytes + " bytes per cycle (test only)" : "");
            List<ResourceGauges> gauges = new ArrayList<>();
            List<HeapSample> heap = new ArrayList<>();
            List<Integer> maxSessions = new ArrayList<>();
            List<Long> cacheSizes = new ArrayList<>();
            long lastRotate = System.nanoTime();
            long lastIdpCalls = 0;
            long lastCycles = 0;
            int interval = 0;
            long sampleAt = measuredFrom; // interval 0: the warm-up's end, the first sample of every check
            String failure = null;
            try {
                while (failure == null) {
                    while (System.nanoTime() < sampleAt) {
                        if (System.nanoTime() - lastRotate >= TimeUnit.SECONDS.toNanos(options.rotateSeconds())) {
                            rotate(server, current, previous);
                            lastRotate = System.nanoTime();
                        }
                        Thread.sleep(Math.max(1, Math.min(500, (sampleAt - System.nanoTime()) / 1_000_000)));
                    }
                    long done = cycles.sum();
                    ResourceGauges now = ResourceGauges.measure();
                    gauges.add(now);
                    heap.add(new HeapSample(done, now.heapAfterGc()));
                    SessionStats sessions = server.sessions();
                    VerifierStats verifier = server.verifier.stats();
                    int extensionIds = server.engineSessions();
                    maxSessions.add(Math.max(sessions.open(), extensionIds));
                    cacheSizes.add(verifier.cacheSize());
                    long idpCalls = verifier.introspectionCalls();
                    out.printf("SOAK %3d %5ds %s sessions=%d extension=%d/%d evicted=%d expired=%d cache=%d "
                                    + "idpCalls/interval=%d cycles/interval=%d ok=%d expired401=%d unexpected=%d%n",
                            interval, TimeUnit.NANOSECONDS.toSeconds(sampleAt - started), now.describe(),
                            sessions.open(), server.engineSessions(), extensionIds, sessions.evictedForCapacity(),
                            sessions.expiredIdle(), verifier.cacheSize(), idpCalls - lastIdpCalls, done - lastCycles,
                            ok.sum(), expiredRefused.sum(), unexpected.sum());
                    lastIdpCalls = idpCalls;
                    if (done == lastCycles && sampleAt > started) {
                        failure = "no progress in interval " + interval;
                    }
                    lastCycles = done;
                    if (unexpected.sum() > 0) {
                        failure = unexpected.sum() + " unexpected answers, last: " + client.lastOther();
                    }
                    if (sampleAt >= end) {
                        break;
                    }
                    interval++;
                    sampleAt = Math.min(end, sampleAt + TimeUnit.SECONDS.toNanos(options.reportSeconds()));
                }
            } finally {
                stop.set(true);
                workers.shutdown();
                workers.awaitTermination(30, TimeUnit.SECONDS);
                client.close();
            }
            return verdict(failure, gauges, heap, maxSessions, cacheSizes, expiredRefused.sum(),
                    TimeUnit.NANOSECONDS.toSeconds(sampleAt - started));
        }
    }

    private String verdict(String failure, List<ResourceGauges> gauges, List<HeapSample> heap, List<Integer> sessions,
                           List<Long> cacheSizes, long expired401, long seconds) {
        if (failure != null) {
            return "SOAK fail " + failure;
        }
        if (heap.size() < 3) {
            return "SOAK fail fewer than three heap samples: measure longer than two report intervals";
        }
        ResourceGauges first = gauges.getFirst();
        ResourceGauges last = gauges.getLast();
        out.printf("SOAK start vs end (%d intervals after the warm-up): %s -> %s (heap x%.3f)%n", heap.size() - 1,
                first.describe(), last.describe(), (double) last.heapAfterGc() / first.heapAfterGc());
        HeapTrend trend = HeapTrend.of(heap);
        out.println("SOAK heap trend: " + trend.describe());
        Optional<String> heapFailure = trend.failure();
        if (heapFailure.isPresent()) {
            return "SOAK fail " + heapFailure.get();
        }
        if (last.threads() > first.threads() + 2) {
            return "SOAK fail platform threads grew: " + first.threads() + " -> " + last.threads();
        }
        if (last.okHttpThreads() > MAX_OKHTTP_THREADS) {
            return "SOAK fail OkHttp background threads above " + MAX_OKHTTP_THREADS + ": " + first.okHttpThreads()
                    + " -> " + last.okHttpThreads();
        }
        if (last.fileDescriptors() > first.fileDescriptors() + 4) {
            return "SOAK fail file descriptors grew: " + first.fileDescriptors() + " -> " + last.fileDescriptors();
        }
        if (sessions.stream().anyMatch(count -> count > MAX_SESSIONS)) {
            return "SOAK fail sessions above the cap " + MAX_SESSIONS + ": " + sessions;
        }
        long maxCache = 3L * options.subjects();
        if (cacheSizes.stream().anyMatch(size -> size > maxCache)) {
            return "SOAK fail verifier cache above " + maxCache + " (3 per subject: the current token, the previous "
                    + "one, one expired): " + cacheSizes;
        }
        if (seconds > options.rotateSeconds() * 2L && expired401 == 0) {
            return "SOAK fail no expired token was ever refused: token churn did not happen";
        }
        return "SOAK ok";
    }

    /**
     * The least-squares line of heap after GC against cycles done, and its two bounds: the slope (a leak per cycle,
     * whatever the run's length) and the line's rise over the measured cycles (a slow leak in a long run, which the
     * slope bound alone would let through: 50 bytes a cycle is 0.5 MB per 10,000 cycles but 17 MB in 30 minutes).
     *
     * @param mbPer10kCycles the slope, MB per 10,000 cycles
     * @param cycles         cycles from the first sample to the last
     * @param firstMb        heap after GC at the first sample (the warm-up's end), MB
     */
    record HeapTrend(double mbPer10kCycles, long cycles, int samples, double firstMb, double lastMb) {

        static HeapTrend of(List<HeapSample> samples) {
            return new HeapTrend(heapTrendMbPer10kCycles(samples), samples.getLast().cycles()
                    - samples.getFirst().cycles(), samples.size(), samples.getFirst().heapAfterGc() / MB,
                    samples.getLast().heapAfterGc() / MB);
        }

        /** How much the fitted line rises from the first sample to the last, MB. */
        double riseMb() {
            return mbPer10kCycles * cycles / 10_000.0;
        }

        double riseBoundMb() {
            return firstMb * HEAP_BOUND_RISE;
        }

        /** Empty when the heap is flat, else the reason, with the numbers. */
        Optional<String> failure() {
            if (mbPer10kCycles > HEAP_BOUND_MB_PER_10K_CYCLES) {
                return Optional.of(String.format(Locale.ROOT, "heap after GC grows %+.2f MB per 10,000 cycles "
                                + "(bound %.2f): least squares over %d samples, %,d cycles, %.1f MB -> %.1f MB",
                        mbPer10kCycles, HEAP_BOUND_MB_PER_10K_CYCLES, samples, cycles, firstMb, lastMb));
            }
            if (riseMb() > riseBoundMb()) {
                return Optional.of(String.format(Locale.ROOT, "heap after GC grows %+.2f MB per 10,000 cycles, "
                                + "%+.1f MB over the run's %,d cycles (bound %.1f: %.0f%% of %.1f MB): least squares over "
                                + "%d samples, %.1f MB -> %.1f MB", mbPer10kCycles, riseMb(), cycles, riseBoundMb(),
                        HEAP_BOUND_RISE * 100, firstMb, samples, firstMb, lastMb));
            }
            return Optional.empty();
        }

        String describe() {
            return String.format(Locale.ROOT, "%+.2f MB per 10,000 cycles (bound %.2f), %+.1f MB over %,d cycles "
                            + "(bound %.1f: %.0f%% of %.1f MB): least squares over %d samples of heap after full GC "
                            + "after the warm-up", mbPer10kCycles, HEAP_BOUND_MB_PER_10K_CYCLES, riseMb(), cycles,
                    riseBoundMb(), HEAP_BOUND_RISE * 100, firstMb, samples);
        }
    }

    /**
     * The least-squares slope of heap after GC (MB) against cycles done (in 10,000s): how fast the heap grows with
     * the work done, from every sample rather than the first and the last.
     */
    static double heapTrendMbPer10kCycles(List<HeapSample> samples) {
        double meanCycles = samples.stream().mapToDouble(sample -> sample.cycles() / 10_000.0).average().orElse(0);
        double meanHeap = samples.stream().mapToDouble(sample -> sample.heapAfterGc() / MB).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (HeapSample sample : samples) {
            double dx = sample.cycles() / 10_000.0 - meanCycles;
            covariance += dx * (sample.heapAfterGc() / MB - meanHeap);
            variance += dx * dx;
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    private void rotate(LocalIdpServer server, AtomicReferenceArray<Issued> current,
                        AtomicReferenceArray<Issued> previous) {
        Instant now = Instant.now();
        Instant expires = now.plusMillis(options.rotateSeconds() * 1500L);
        byToken.values().removeIf(issued -> issued.expires().isBefore(now.minusSeconds(60)));
        for (int i = 0; i < current.length(); i++) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Map<String, Object> claims = server.idp.claims(server.mcpUrl, "mcp:read");
            claims.put("sub", "soak-subject-" + i);
            claims.put("exp", expires.getEpochSecond());
            Issued issued = new Issued(token, claims, expires);
            byToken.put(token, issued);
            previous.set(i, current.get(i));
            current.set(i, issued);
        }
    }
}
