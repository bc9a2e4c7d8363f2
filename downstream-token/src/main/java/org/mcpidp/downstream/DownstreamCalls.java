package org.mcpidp.downstream;

import java.io.IOException;
import java.util.Objects;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;

/**
 * The HTTP helper tools get for calling downstream APIs: it attaches a token exchanged for the target and nothing
 * else, so passing the caller's MCP token on (forbidden by the MCP authorization spec) cannot happen through it.
 * <pre>{@code
 * try (Response orders = calls.send(caller, ORDERS, new Request.Builder().url(ordersUrl).build())) { ... }
 * }</pre>
 * A request that already carries an {@code Authorization} header, or the caller's token in any header or in its
 * URL, is refused with {@link IllegalArgumentException} before anything is sent.
 */
public final class DownstreamCalls {

    private final DownstreamTokens tokens;
    private final OkHttpClient http;

    private DownstreamCalls(DownstreamTokens tokens, OkHttpClient http) {
        this.tokens = tokens;
        // Redirects would carry our Authorization header to wherever the API points: not followed.
        this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
    }

    /** @param http the client to derive from (its pools are shared) */
    public static DownstreamCalls create(DownstreamTokens tokens, OkHttpClient http) {
        return new DownstreamCalls(Objects.requireNonNull(tokens, "tokens"), Objects.requireNonNull(http, "http"));
    }

    /**
     * Sends {@code request} as {@code caller} to {@code target} with a token exchanged for it.
     *
     * @throws DownstreamException      when no token could be had (the typed failure inside)
     * @throws IllegalArgumentException when the request already carries credentials or the caller's token
     * @throws IOException              when the downstream API could not be reached (OkHttp's)
     */
    public Response send(AuthInfo caller, DownstreamTarget target, Request request)
            throws DownstreamException, IOException {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
        refuseCredentials(caller, request);
        ExchangeOutcome outcome = tokens.tokenFor(caller, target);
        return switch (outcome) {
            case ExchangeOutcome.Failed(ExchangeFailure failure) -> throw new DownstreamException(failure);
            case ExchangeOutcome.Issued(DownstreamToken token) -> http.newCall(request.newBuilder()
                    .header("Authorization", "Bearer " + token.value()).build()).execute();
        };
    }

    private static void refuseCredentials(AuthInfo caller, Request request) {
        if (request.header("Authorization") != null) {
            throw new IllegalArgumentException("the request to " + request.url().host() + " already carries an "
                    + "Authorization header: DownstreamCalls attaches the exchanged token itself");
        }
        caller.token().ifPresent(token -> {
            for (kotlin.Pair<? extends String, ? extends String> header : request.headers()) {
                if (contains(token, header.getSecond())) {
                    throw new IllegalArgumentException("the request to " + request.url().host() + " carries the "
                            + "caller's token in header '" + header.getFirst() + "': it is never passed on");
                }
            }
            if (contains(token, request.url().toString())) {
                throw new IllegalArgumentException("the request to " + request.url().host() + " carries the "
                        + "caller's token in its URL: it is never passed on");
            }
        });
    }

    private static boolean contains(CallerToken token, String text) {
        return text != null && text.contains(token.value());
    }
}
