package org.mcpidp.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A loopback reverse proxy that adds {@code Authorization: Bearer <token>} to requests that carry none, for clients
 * that cannot authenticate (the MCP conformance suite). Like a real reverse proxy it forwards {@code Host} and
 * {@code Origin} unchanged (the server's {@code mcp.resource} is this proxy's URL), and it streams answers, SSE
 * included. The token never appears in anything it prints.
 */
public final class TokenAddingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "content-length");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final OkHttpClient http = new OkHttpClient.Builder()
            .readTimeout(Duration.ofMinutes(2))
            .followRedirects(false)
            .build();
    private final String upstream;
    private final Supplier<String> token;

    private TokenAddingProxy(HttpServer server, String upstream, Supplier<String> token) {
        this.server = server;
        this.upstream = upstream;
        this.token = token;
    }

    /** A proxy on {@code 127.0.0.1:port} in front of {@code upstream} ({@code http://127.0.0.1:<port>}). */
    public static TokenAddingProxy start(int port, String upstream, Supplier<String> token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        TokenAddingProxy proxy = new TokenAddingProxy(server, upstream, token);
        server.setExecutor(proxy.threads);
        server.createContext("/", proxy::forward);
        server.start();
        return proxy;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            Request.Builder request = new Request.Builder().url(upstream + exchange.getRequestURI());
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.addHeader(name, value));
                }
            });
            if (!exchange.getRequestHeaders().containsKey("Authorization")) {
                request.header("Authorization", "Bearer " + token.get());
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            boolean hasBody = body.length > 0 || method.equals("POST") || method.equals("PUT");
            request.method(method, hasBody ? RequestBody.create(body, type == null ? null : MediaType.parse(type)) : null);
            try (Response response = http.newCall(request.build()).execute()) {
                response.headers().forEach(header -> {
                    if (!HOP_BY_HOP.contains(header.getFirst().toLowerCase(Locale.ROOT))) {
                        exchange.getResponseHeaders().add(header.getFirst(), header.getSecond());
                    }
                });
                boolean empty = response.code() == 204 || response.code() == 304 || method.equals("HEAD");
                exchange.sendResponseHeaders(response.code(), empty ? -1 : 0);
                if (!empty) {
                    try (InputStream in = response.body().byteStream(); OutputStream out = exchange.getResponseBody()) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush(); // SSE events must pass at once
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the client went away (an SSE stream closed): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
