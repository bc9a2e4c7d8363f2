package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of the bare Helidon MCP 1.2.0 extension that {@link ExtensionSessions}
 * works around: its LRU keeps max-session-count sessions, but the id list next to it keeps every id ever created, and
 * each {@code initialize} copies that list. If this test fails after an upgrade, the extension changed: revisit
 * ExtensionSessions (maybe it is no longer needed).
 */
class ExtensionSessionLeakTest {

    private static final int CAPACITY = Integer.getInteger("leak.capacity", 1000);
    private static final String INIT = """
            {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"leak-test","version":"1"}}""";

    @Test
    void whenTheBareExtensionEvictsSessionsFromItsLruThenTheirIdsStayInItsList() throws Exception {
        int cycles = Integer.getInteger("leak.cycles", 20_000);
        int[] done = {0};
        int block = cycles / 4;
        McpServerFeature feature = McpServerConfig.builder().path("/mcp").maxSessionCount(CAPACITY).build();
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .routing(routing -> routing.addFeature(feature))
                .build().start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest initialize = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":" + INIT + "}"))
                    .build();
            StringBuilder timings = new StringBuilder();
            for (int b = 0; b < 4; b++) {
                long start = System.nanoTime();
                for (int i = 0; i < block; i++) {
                    assertThat(http.send(initialize, HttpResponse.BodyHandlers.ofString()).statusCode())
                            .as("initialize #" + done[0]).isEqualTo(200);
                    done[0]++;
                }
                timings.append(" ").append((System.nanoTime() - start) / 1_000_000).append("ms");
            }
            System.out.println("BARE-EXTENSION after " + cycles + " initialize: lru=" + lruSize(feature)
                    + " idList=" + sessionIds(feature) + " ms per " + block + ":" + timings);

            assertThat(lruSize(feature)).isEqualTo(CAPACITY);
            assertThat(sessionIds(feature)).isEqualTo(cycles);
        } finally {
            server.stop();
        }
    }

    /** Sessions in the extension's LRU (read by reflection, test only). */
    private static int lruSize(McpServerFeature feature) {
        return ((io.helidon.common.LruCache<?, ?>) read(feature, McpServerFeature.class, "sessions")).size();
    }

    /** Ids in the extension's list of sessions (never pruned by its LRU in 1.2.0). */
    private static int sessionIds(McpServerFeature feature) {
        Object sessions = read(feature, McpServerFeature.class, "sessions");
        return ((java.util.List<?>) read(sessions, sessions.getClass(), "sessionsList")).size();
    }

    private static Object read(Object target, Class<?> type, String field) {
        try {
            java.lang.reflect.Field f = type.getDeclaredField(field);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
