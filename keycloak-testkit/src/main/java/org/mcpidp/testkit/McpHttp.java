package org.mcpidp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw MCP Streamable HTTP calls for tests (legacy era: initialize and a session): exactly what goes over the wire,
 * no SDK in between.
 */
public final class McpHttp {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    public final OkHttpClient http;
    private final String mcpUrl;
    private final AtomicInteger ids = new AtomicInteger(1);

    public McpHttp(String mcpUrl) {
        this(mcpUrl, new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build());
    }

    /** Calls {@code mcpUrl} with {@code http} (its timeouts, redirects and retries are the caller's choice). */
    public McpHttp(String mcpUrl, OkHttpClient http) {
        this.mcpUrl = mcpUrl;
        this.http = http;
    }

    /** A completed HTTP exchange. */
    public record Reply(int status, String body, okhttp3.Headers headers) {
        public String header(String name) {
            return headers.get(name);
        }

        public List<String> headers(String name) {
            return headers.values(name);
        }

        /** The JSON-RPC message of a JSON or SSE answer. */
        public JsonNode json() {
            String text = body;
            if (text.startsWith("event:") || text.startsWith("data:") || text.startsWith("id:")) {
                List<String> data = new ArrayList<>();
                for (String line : text.split("\n")) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
                text = String.join("\n", data);
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** A POST of {@code body} with the usual MCP headers, {@code Authorization: Bearer token} unless null. */
    public Request.Builder post(String token, Optional<String> session, String body) {
        Request.Builder request = new Request.Builder()
                .url(mcpUrl)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(body, JSON_TYPE));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        session.ifPresent(id -> request.header("Mcp-Session-Id", id).header("MCP-Protocol-Version", "2025-06-18"));
        return request;
    }

    public Reply send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply rpc(String token, Optional<String> session, String method, String paramsJson) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + ids.getAndIncrement() + ",\"method\":\"" + method + "\""
                + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
        return send(post(token, session, body).build());
    }

    /** initialize + notifications/initialized; returns the session id. */
    public String openSession(String token) {
        Reply init = rpc(token, Optional.empty(), "initialize", """
                {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}""");
        if (init.status() != 200) {
            throw new IllegalStateException("initialize -> " + init.status() + " " + init.body());
        }
        String session = init.header("Mcp-Session-Id");
        Reply initialized = send(post(token, Optional.of(session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").build());
        if (initialized.status() >= 300) {
            throw new IllegalStateException("notifications/initialized -> " + initialized.status());
        }
        return session;
    }

    public Reply callTool(String token, String session, String tool, String argumentsJson) {
        return rpc(token, Optional.of(session), "tools/call",
                "{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}");
    }

    public List<String> toolNames(String token, String session) {
        Reply reply = rpc(token, Optional.of(session), "tools/list", "{}");
        if (reply.status() != 200) {
            throw new IllegalStateException("tools/list -> " + reply.status() + " " + reply.body());
        }
        List<String> names = new ArrayList<>();
        reply.json().path("result").path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }
}
