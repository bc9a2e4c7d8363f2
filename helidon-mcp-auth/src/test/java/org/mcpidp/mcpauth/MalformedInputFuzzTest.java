package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.SecretValues;

/**
 * A bounded, seeded fuzz run of malformed MCP/HTTP input (legacy era, in sessions) against the feature and the SDK
 * engine (JWT mode, a local issuer): every answer must be a 4xx or a JSON-RPC error (never a 5xx, never a stack
 * trace), and valid calls interleaved with the garbage, and after it, must keep working. {@code -Dsecurity.fuzz.requests=N}
 * changes the size (default 10,400; 104,000 with {@code -Dsecurity.full=true}). The tables are printed and written to
 * target/fuzz-summary.txt and target/fuzz-authz-summary.txt.
 */
class MalformedInputFuzzTest {

    private static final long SEED = 20261122L;
    private static final int WORKERS = 4;
    private static final int REQUESTS = Integer.getInteger("security.fuzz.requests", Boolean.getBoolean("security.full") ? 104_000 : 10_400);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String ACCEPT = "application/json, text/event-stream";

    /** Tools beside {@code echo} (any caller) and {@code erase} (mcp:admin), for arguments of wrong types. */
    private static final String READ_TOOL = "read_only";
    private static final String WRITE_TOOL = "create";

    private static SdkTestServer server;
    private static String token;

    private final Map<String, Map<Integer, AtomicLong>> table = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> slowest = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    /** A fuzz category: a request from a random source, a session id and the token. */
    private record Category(String name, BiFunction<Random, String, Request> request) {
    }

    @BeforeAll
    static void start() {
        server = SdkTestServer.builder().tool(READ_TOOL, ToolRequirement.scopes("mcp:read"))
                .tool(WRITE_TOOL, ToolRequirement.scopes("mcp:write")).start();
        token = server.token("fuzzer", "mcp:read mcp:write", java.time.Duration.ofHours(1));
        SecretValues.record(token);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void whenMalformedInputFloodsTheServerThenOnly4xxOrJsonRpcErrorsAndValidCallsKeepWorking() throws Exception {
        List<Category> categories = categories();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                Random random = new Random(SEED + worker);
                String session = openSession();
                for (int i = 0; i < REQUESTS / WORKERS; i++) {
                    if (i % 50 == 0) {
                        validCall(session, "valid echo (during)");
                        continue;
                    }
                    Category category = categories.get(random.nextInt(categories.size()));
                    Request request = category.request().apply(random, session);
                    String variant = request.tag(String.class);
                    exchange(category.name() + (variant == null ? "" : ": " + variant), request);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        long millis = (System.nanoTime() - start) / 1_000_000;
        String after = openSession();
        for (int i = 0; i < 20; i++) {
            validCall(after, "valid echo (after)");
        }

        List<String> lines = new ArrayList<>();
        lines.add(String.format("fuzz: %d requests, %d workers, seed %d, %d ms", REQUESTS, WORKERS, SEED, millis));
        lines.add(String.format("%-36s %8s %8s  %s", "category", "requests", "max ms", "statuses"));
        long total = 0;
        for (Map.Entry<String, Map<Integer, AtomicLong>> row : new TreeMap<>(table).entrySet()) {
            long count = row.getValue().values().stream().mapToLong(AtomicLong::get).sum();
            total += count;
            lines.add(String.format("%-36s %8d %8d  %s", row.getKey(), count, slowest.get(row.getKey()).get(),
                    new TreeMap<>(row.getValue())));
        }
        lines.add("statuses: 2000 = 200 with a JSON-RPC result, 2001 = 200 with a JSON-RPC error or tool error, "
                + "2002 = 200/202 empty (notification), -1 = no answer (client timeout)");
        lines.add("total " + total + "; problems: " + problems.size());
        problems.stream().limit(20).forEach(lines::add);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/fuzz-summary.txt"), lines);
        lines.forEach(System.out::println);

        assertThat(problems).isEmpty();
        assertThat(total).isGreaterThanOrEqualTo(REQUESTS * 49L / 50);
    }

    /**
     * The same mutations aimed at authorization: a {@code tools/call} of {@code erase} (which this token, with mcp:read
     * and mcp:write, may not call) wrapped in the review's parser-differential triggers, random byte edits, batches and
     * headers that disagree with the body. No answer may be a JSON-RPC result unless the body is a well-formed call of
     * a tool this token may call, and {@code erase} must never have been entered.
     */
    @Test
    void whenMutationsSurroundAForbiddenToolCallThenNothingForbiddenRuns() throws Exception {
        int requests = Integer.getInteger("security.fuzz.authz.requests", 3_000);
        Random random = new Random(SEED ^ 0x5EC);
        String session = openSession();
        Map<String, AtomicLong> outcomes = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            ForbiddenCallMutation mutation = ForbiddenCallMutation.next(random, i);
            Request.Builder request = post(session, RequestBody.create(mutation.body(), null))
                    .header("Content-Type", mutation.contentType());
            mutation.extraContentType().ifPresent(type -> request.addHeader("Content-Type", type));
            int status;
            String body;
            try (Response response = server.mcp.http.newCall(request.build()).execute()) {
                status = response.code();
                body = response.body().string();
            }
            boolean result = status == 200 && body.contains("\"result\"");
            outcomes.computeIfAbsent(mutation.kind() + " -> " + (result ? "200 result" : status == 200 ? "200 error"
                    : Integer.toString(status)), k -> new AtomicLong()).incrementAndGet();
            if (status >= 500) {
                violations.add(mutation.kind() + ": " + status + " " + body);
            }
            if (result && !ForbiddenCallMutation.callsOnly(mutation.body(), ALLOWED_TOOLS)) {
                violations.add(mutation.kind() + ": 200 with a result for "
                        + new String(mutation.body(), StandardCharsets.ISO_8859_1));
            }
        }
        String echoed = callTool(session, "echo");

        List<String> lines = new ArrayList<>();
        lines.add("authorization fuzz: " + requests + " mutated erase calls, seed " + (SEED ^ 0x5EC) + ", erase entered "
                + server.runs("erase") + " times");
        outcomes.forEach((outcome, count) -> lines.add(String.format("  %-48s %6d", outcome, count.get())));
        lines.add("violations: " + violations.size());
        violations.stream().limit(20).forEach(lines::add);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/fuzz-authz-summary.txt"), lines);
        lines.forEach(System.out::println);

        assertThat(violations).isEmpty();
        assertThat(server.runs("erase")).as("erase entered").isZero();
        assertThat(echoed).contains("echo {}");
    }

    /** What the fuzz token (mcp:read mcp:write) may call. */
    private static final java.util.Set<String> ALLOWED_TOOLS = java.util.Set.of("echo", READ_TOOL, WRITE_TOOL);

    private static String callTool(String session, String tool) throws IOException {
        try (Response response = server.mcp.http.newCall(post(session, call("tools/call", "{\"name\":\"" + tool
                + "\",\"arguments\":{}}")).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().string();
        }
    }

    private void validCall(String session, String label) {
        Request request = post(session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"echo\",\"arguments\":{}}}").build();
        int status = exchange(label, request);
        if (status != 200) {
            problems.add(label + " -> " + status);
        }
    }

    private int exchange(String category, Request request) {
        long began = System.nanoTime();
        try {
            return exchangeTimed(category, request);
        } finally {
            long millis = (System.nanoTime() - began) / 1_000_000;
            slowest.computeIfAbsent(category, k -> new AtomicLong()).accumulateAndGet(millis, Math::max);
        }
    }

    private int exchangeTimed(String category, Request request) {
        int status;
        String body;
        try (Response response = server.mcp.http.newCall(request).execute()) {
            status = response.code();
            body = response.body().string();
        } catch (IOException e) {
            // a connection the server closed after a 413 ("Connection: close") is fine; anything else is recorded
            status = -1;
            body = e.getClass().getSimpleName();
        }
        // 200 is split: 2001 = a JSON-RPC error (or a tool error result), 2000 = an answer, 2002 = empty (notification)
        int key = status != 200 ? status : body.isEmpty() ? 2002
                : body.contains("\"error\"") || body.contains("\"isError\":true") ? 2001 : 2000;
        table.computeIfAbsent(category, k -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> new AtomicLong())
                .incrementAndGet();
        boolean stackTrace = body.contains("Exception") || body.matches("(?s).*\\bat [a-z][\\w$.]+\\(.*");
        if (status >= 500 || stackTrace || (status == -1 && !category.startsWith("huge"))) {
            problems.add(category + " -> " + status + " " + body.substring(0, Math.min(200, body.length())));
        }
        return status;
    }

    private static String openSession() {
        Request init = new Request.Builder().url(server.url).header("Accept", ACCEPT)
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(HostileTokenTest.INITIALIZE, JSON)).build();
        try (Response response = server.mcp.http.newCall(init).execute()) {
            assertThat(response.code()).isEqualTo(200);
            String session = response.header("Mcp-Session-Id");
            Request initialized = post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").build();
            try (Response ack = server.mcp.http.newCall(initialized).execute()) {
                assertThat(ack.code()).isLessThan(300);
            }
            return session;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Request.Builder post(String session, String body) {
        return post(session, RequestBody.create(body, JSON));
    }

    private static Request.Builder post(String session, RequestBody body) {
        Request.Builder request = new Request.Builder().url(server.url).header("Accept", ACCEPT)
                .header("Authorization", "Bearer " + token).post(body);
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request;
    }

    private static String call(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    private static String randomText(Random random, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder text = new StringBuilder(length);
        String alphabet = "{}[]\":,0123456789abcdefnulltrue \\/\n\t-.eE+";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static List<Category> categories() {
        List<Category> list = new ArrayList<>();
        list.add(new Category("invalid JSON (random text)", (r, s) -> post(s, randomText(r, 200)).build()));
        list.add(new Category("invalid JSON (truncated call)", (r, s) -> {
            String valid = call("tools/call", "{\"name\":\"echo\",\"arguments\":{}}");
            return post(s, valid.substring(0, 1 + r.nextInt(valid.length() - 1))).build();
        }));
        list.add(new Category("JSON-RPC without method", (r, s) -> post(s, "{\"jsonrpc\":\"2.0\",\"id\":" + r.nextInt() + "}").build()));
        list.add(new Category("JSON-RPC without id (unknown method)", (r, s) -> post(s, "{\"jsonrpc\":\"2.0\",\"method\":\"x/" + r.nextInt(1000) + "\"}").build()));
        list.add(new Category("JSON-RPC odd id/method types", (r, s) -> post(s, switch (r.nextInt(5)) {
            case 0 -> "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}";
            case 1 -> "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"tools/list\"}";
            case 2 -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}";
            case 3 -> "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/list\"}";
            default -> "{\"jsonrpc\":\"2.0\",\"id\":1.5e300,\"method\":null}";
        }).build()));
        list.add(new Category("JSON scalars and empty bodies", (r, s) -> {
            String body = List.of("", "null", "1", "\"x\"", "[]", "{}", "true").get(r.nextInt(7));
            return post(s, body).tag(String.class, "'" + body + "'").build();
        }));
        list.add(new Category("batches", (r, s) -> post(s, "[" + call("tools/list", "{}") + "," + randomText(r, 30) + "]").build()));
        list.add(new Category("deeply nested JSON", (r, s) -> {
            int depth = 500 + r.nextInt(4000);
            return post(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"x\":"
                    + "[".repeat(depth) + "]".repeat(depth) + "}}}").build();
        }));
        list.add(new Category("unknown methods", (r, s) -> post(s, call(List.of("tools/run", "resources/delete", "admin/shutdown",
                "rpc.discover", "../tools/call", "TOOLS/CALL", "sampling/createMessage").get(r.nextInt(7)), "{}")).build()));
        list.add(new Category("unknown tool", (r, s) -> post(s, call("tools/call", "{\"name\":\"tool-" + r.nextInt(100)
                + "\",\"arguments\":{}}")).build()));
        list.add(new Category("tool arguments of wrong types", (r, s) -> post(s, call("tools/call", switch (r.nextInt(7)) {
            case 0 -> "{\"name\":\"" + WRITE_TOOL + "\",\"arguments\":{\"name\":123,\"price\":\"abc\"}}";
            case 1 -> "{\"name\":\"" + WRITE_TOOL + "\",\"arguments\":{\"name\":[],\"price\":{}}}";
            case 2 -> "{\"name\":\"" + WRITE_TOOL + "\",\"arguments\":\"name=x\"}";
            case 3 -> "{\"name\":\"" + READ_TOOL + "\",\"arguments\":[1,2]}";
            case 4 -> "{\"name\":\"echo\",\"arguments\":null}";
            case 5 -> "{\"name\":42,\"arguments\":{}}";
            default -> "{\"name\":\"" + WRITE_TOOL + "\",\"arguments\":{\"name\":\"x\",\"price\":1e400}}";
        })).build()));
        list.add(new Category("params of wrong types", (r, s) -> post(s, call(List.of("tools/call", "tools/list", "initialize",
                "ping").get(r.nextInt(4)), List.of("[]", "\"x\"", "7", "null", "{\"cursor\":{}}").get(r.nextInt(5)))).build()));
        list.add(new Category("non-UTF-8 bytes", (r, s) -> {
            byte[] prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"x\":\""
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] junk = new byte[1 + r.nextInt(16)];
            r.nextBytes(junk);
            junk[0] = (byte) List.of(0xC0, 0xFF, 0xFE, 0xED, 0x80).get(r.nextInt(5)).intValue();
            byte[] suffix = "\"}}}".getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[prefix.length + junk.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(junk, 0, body, prefix.length, junk.length);
            System.arraycopy(suffix, 0, body, prefix.length + junk.length, suffix.length);
            return post(s, RequestBody.create(body, JSON)).build();
        }));
        list.add(new Category("lone surrogate escapes", (r, s) -> post(s, call("tools/call",
                "{\"name\":\"echo\\ud800\",\"arguments\":{\"x\":\"\\udfff\\u0000\"}}")).build()));
        list.add(new Category("wrong content type", (r, s) -> {
            String type = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1").get(r.nextInt(5));
            return post(s, RequestBody.create(call("tools/list", "{}"), MediaType.get(type))).tag(String.class, type).build();
        }));
        list.add(new Category("no content type", (r, s) -> post(s, RequestBody.create(call("tools/list", "{}")
                .getBytes(StandardCharsets.UTF_8), null)).build()));
        list.add(new Category("wrong Accept", (r, s) -> {
            String accept = List.of("text/html", "application/xml", "*/*", "text/event-stream", "image/png").get(r.nextInt(5));
            return post(s, call("tools/list", "{}")).header("Accept", accept).tag(String.class, accept).build();
        }));
        list.add(new Category("no Accept", (r, s) -> post(s, call("tools/list", "{}")).removeHeader("Accept").build()));
        list.add(new Category("bogus session id", (r, s) -> post(null, call("tools/list", "{}"))
                .header("Mcp-Session-Id", List.of("", "x", "../../etc", "0".repeat(200), "\u00e9").get(r.nextInt(5)).replace("\u00e9", "%C3%A9"))
                .build()));
        list.add(new Category("bogus protocol version", (r, s) -> post(s, call("tools/list", "{}"))
                .header("MCP-Protocol-Version", List.of("1999-01-01", "x", "2025-06-18, 2024-11-05").get(r.nextInt(3))).build()));
        list.add(new Category("other HTTP methods", (r, s) -> {
            Request.Builder b = post(s, call("tools/list", "{}"));
            return switch (r.nextInt(4)) {
                case 0 -> b.put(RequestBody.create("{}", JSON)).build();
                case 1 -> b.patch(RequestBody.create("{}", JSON)).build();
                case 2 -> b.method("OPTIONS", null).build();
                default -> b.delete().header("Mcp-Session-Id", "not-a-session").build();
            };
        }));
        list.add(new Category("huge body (Content-Length)", (r, s) -> {
            int size = 65 * 1024 + r.nextInt(200 * 1024);
            String pad = "x".repeat(size);
            return post(s, call("tools/call", "{\"name\":\"echo\",\"arguments\":{\"pad\":\"" + pad + "\"}}")).build();
        }));
        list.add(new Category("huge body (chunked)", (r, s) -> {
            int size = 65 * 1024 + r.nextInt(200 * 1024);
            return post(s, new RequestBody() {
                @Override
                public MediaType contentType() {
                    return JSON;
                }

                @Override
                public long contentLength() {
                    return -1;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    sink.writeUtf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"pad\":\"");
                    for (int i = 0; i < size / 1024; i++) {
                        sink.writeUtf8("y".repeat(1024));
                    }
                    sink.writeUtf8("\"}");
                }
            }).build();
        }));
        list.add(new Category("ok-body just under the limit", (r, s) -> post(s, call("tools/call",
                "{\"name\":\"echo\",\"arguments\":{\"pad\":\"" + "z".repeat(60 * 1024) + "\"}}")).build()));
        return list;
    }
}
