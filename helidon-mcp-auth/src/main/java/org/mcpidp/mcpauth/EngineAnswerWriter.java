package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes what the SDK's 2026-07-28 server answered: a result or an error as JSON (with the HTTP status the SDK's own
 * transports give that error), a streaming answer as an event stream. A long-lived stream
 * ({@code subscriptions/listen}) gets keep-alive comments and ends with the caller's token.
 */
final class EngineAnswerWriter {

    private static final System.Logger LOGGER = System.getLogger(EngineAnswerWriter.class.getName());
    /** The SDK servlet transport's mapping of JSON-RPC error codes to HTTP statuses (others: 200). */
    private static final Map<Integer, Status> ERROR_STATUS = Map.of(
            -32700, Status.BAD_REQUEST_400, -32600, Status.BAD_REQUEST_400, -32602, Status.BAD_REQUEST_400,
            -32020, Status.BAD_REQUEST_400, -32021, Status.BAD_REQUEST_400, -32022, Status.BAD_REQUEST_400,
            -32601, Status.NOT_FOUND_404);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    /** When a long-lived stream ends: after {@code lifetime} (the token's), or when {@code ended} completes. */
    record StreamEnd(Duration lifetime, Mono<Void> ended) {
    }

    private final McpJsonMapper mapper;

    EngineAnswerWriter(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    void write(ServerResponse res, McpTransportResponse response, Optional<StreamEnd> end) {
        switch (response) {
            case McpTransportResponse.Result result -> json(res, Status.OK_200, result.response());
            case McpTransportResponse.Error error -> json(res, ERROR_STATUS.getOrDefault(
                    error.response().error().code(), Status.OK_200), error.response());
            case McpTransportResponse.Streaming streaming -> stream(res, streaming.messages(), end);
            default -> throw new IllegalStateException("unknown engine response " + response.getClass().getName());
        }
    }

    private void json(ServerResponse res, Status status, JsonRpc.JSONRPCResponse response) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(response));
    }

    private void stream(ServerResponse res, Flux<JsonRpc.JSONRPCMessage> messages, Optional<StreamEnd> end) {
        try (EventStream events = new EventStream(res)) {
            Flux<byte[]> frames = messages.map(this::bytes);
            if (end.isPresent()) {
                // a long-lived stream: keep-alive comments while it is quiet, and an end when the token does (or
                // when a newer stream of the same principal takes its place)
                frames = frames.publish(shared -> Flux.merge(shared, Flux.interval(KEEP_ALIVE)
                                .map(tick -> new byte[0]).takeUntilOther(shared.ignoreElements())))
                        .take(end.get().lifetime())
                        .takeUntilOther(end.get().ended());
            }
            frames.doOnNext(frame -> {
                if (frame.length == 0) {
                    events.keepAlive();
                } else {
                    events.message(frame, null);
                }
            }).blockLast();
        } catch (UncheckedIOException e) {
            LOGGER.log(Level.DEBUG, "client closed an event stream");
        }
    }

    /** A message as the SDK's mapper writes it. */
    byte[] bytes(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
