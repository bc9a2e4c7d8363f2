package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code subscriptions/listen} (2026-07-28) behind the kit: authenticated like every request, bounded per principal
 * (the newest stream wins),
 * and ended when the caller's token expires (the client listens again with a fresh token, which is verified again).
 */
class SubscriptionsListenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private SdkTestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest listen(String token) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", "listen-1",
                "method", "subscriptions/listen", "params", Map.of("notifications", Map.of("toolsListChanged", true),
                        "_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                                "io.modelcontextprotocol/clientCapabilities", Map.of()))));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "subscriptions/listen")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    @Test
    void whenTheTokenExpiresThenTheStreamEnds() throws Exception {
        server = SdkTestServer.start(engine -> engine, feature -> feature);
        String shortLived = server.token("alice", "mcp:read", Duration.ofSeconds(3));
        long start = System.nanoTime();

        HttpResponse<Stream<String>> stream = http.send(listen(shortLived), HttpResponse.BodyHandlers.ofLines());
        List<String> lines = stream.body().toList(); // returns once the server ends the stream
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        assertThat(String.join("\n", lines)).contains("notifications/subscriptions/acknowledged");
        assertThat(seconds).as("ended with the token, not before and not much after").isBetween(1L, 10L);
    }

    @Test
    void whenAPrincipalListensMoreThanItsBoundThenItsOldestStreamEndsAndOthersAreUnaffected() throws Exception {
        server = SdkTestServer.start(engine -> engine, feature -> feature.maxListensPerPrincipal(1));
        String alice = server.token("alice", "mcp:read");
        CompletableFuture<HttpResponse<Stream<String>>> first = http.sendAsync(listen(alice),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<Stream<String>>> bob = http.sendAsync(listen(server.token("bob", "mcp:read")),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(bob.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        HttpResponse<Stream<String>> second = http.send(listen(alice), HttpResponse.BodyHandlers.ofLines());

        assertThat(second.statusCode()).isEqualTo(200);
        // the first stream ends (a client that left long ago would never hear it; one still there listens again)
        CompletableFuture<List<String>> firstLines = CompletableFuture.supplyAsync(() -> first.join().body().toList());
        assertThat(String.join("\n", firstLines.get(10, TimeUnit.SECONDS)))
                .contains("notifications/subscriptions/acknowledged");
        // bob's stream is his: still open (nothing to read within a second)
        CompletableFuture<List<String>> bobLines = CompletableFuture.supplyAsync(() -> bob.join().body().toList());
        assertThat(bobLines).failsWithin(Duration.ofSeconds(1));
        second.body().close();
        bob.get().body().close();
    }

    @Test
    void whenNoTokenIsSentThen401AndNoStream() throws Exception {
        server = SdkTestServer.start(engine -> engine, feature -> feature);

        HttpResponse<String> reply = http.send(listen(null), HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer").contains("resource_metadata="));
    }
}
