package org.mcpidp.mcpserver.security;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.mcpidp.testkit.FreePort;

/**
 * A loopback relay in front of the real Keycloak's introspection endpoint, so that a test can take "the IdP" away for
 * one server ({@link #stop}: connection refused) without stopping a Keycloak other tests share. It passes the
 * request's body, {@code Authorization} and {@code Content-Type} through and the answer back, nothing else.
 */
final class IntrospectionRelay implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IntrospectionRelay(HttpServer server) {
        this.server = server;
    }

    static IntrospectionRelay to(String introspectionEndpoint) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 16);
            IntrospectionRelay relay = new IntrospectionRelay(server);
            server.createContext("/introspect", exchange -> {
                try (exchange) {
                    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(introspectionEndpoint))
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                    for (String header : new String[] {"Authorization", "Content-Type", "Accept"}) {
                        String value = exchange.getRequestHeaders().getFirst(header);
                        if (value != null) {
                            forward.header(header, value);
                        }
                    }
                    HttpResponse<byte[]> answer = relay.client.send(forward.build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    answer.headers().firstValue("Content-Type")
                            .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                    exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
    }

    /** The IdP is gone: the port is closed, connections are refused. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
        client.close();
    }
}
