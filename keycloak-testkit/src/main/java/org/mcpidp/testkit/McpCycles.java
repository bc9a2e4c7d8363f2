package org.mcpidp.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One MCP client "cycle" as abusive or careless clients do it: {@code initialize}, one {@code tools/call} of a tool
 * any caller may call (without arguments) in the new session, and never a DELETE. Thread-safe; a fixed pool of keep-alive connections, so the client side does
 * not add connection or thread growth to what the tests measure.
 */
public final class McpCycles {

    /** What a cycle ended with. */
    public enum Result { OK, UNAUTHORIZED, TOO_MANY_SESSIONS, SESSION_GONE, UNAVAILABLE, OTHER }

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"cycles","version":"1"}}}""";

    private final String mcpUrl;
    private final String toolCall;
    private final OkHttpClient http;
    private final AtomicLong other = new AtomicLong();
    private volatile String lastOther = "";

    /** Cycles against {@code mcpUrl} over at most {@code connections} connections, calling {@code tool}. */
    public McpCycles(String mcpUrl, String tool, int connections) {
        this.mcpUrl = mcpUrl;
        this.toolCall = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{}}}";
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(connections);
        dispatcher.setMaxRequestsPerHost(connections);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(30))
                .build();
    }

    public Result cycle(String token) {
        try (Response init = http.newCall(post(token, null, INITIALIZE)).execute()) {
            String body = init.body().string();
            Result early = classify(init.code(), body);
            if (early != Result.OK) {
                return early;
            }
            String session = init.header("Mcp-Session-Id");
            try (Response call = http.newCall(post(token, session, toolCall)).execute()) {
                String answer = call.body().string();
                Result result = classify(call.code(), answer);
                if (result == Result.OK && !answer.contains("\"result\"")) {
                    return other(call.code(), answer);
                }
                return result;
            }
        } catch (IOException e) {
            return other(-1, e.toString());
        }
    }

    /** Cycles that ended in an unexpected way, and the last such answer (for the failure message). */
    public long others() {
        return other.get();
    }

    public String lastOther() {
        return lastOther;
    }

    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private Result classify(int code, String body) {
        return switch (code) {
            case 200 -> Result.OK;
            case 401 -> Result.UNAUTHORIZED;
            case 429 -> Result.TOO_MANY_SESSIONS;
            case 404 -> Result.SESSION_GONE;
            case 503 -> Result.UNAVAILABLE;
            default -> other(code, body);
        };
    }

    private Result other(int code, String body) {
        other.incrementAndGet();
        lastOther = code + " " + body.substring(0, Math.min(body.length(), 300));
        return Result.OTHER;
    }

    private Request post(String token, String session, String body) {
        Request.Builder request = new Request.Builder()
                .url(mcpUrl)
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(body, JSON));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request.build();
    }
}
