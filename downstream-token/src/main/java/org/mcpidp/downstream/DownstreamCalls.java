package org.mcpidp.downstream;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.mcpidp.http.CallLimiter;
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
 *
 * <p>Calls in flight are bounded (a tool runs on the request's thread, so a burst of tool calls would otherwise open
 * a connection each): a call holds its place until its response is closed, and past the bound a caller waits at most
 * the queue timeout, then gets an {@link IOException} (the API is "unavailable, try again").
 */
public final class DownstreamCalls {

    /** Calls in flight by default: the connection pool OkHttp keeps idle is 5; bursts above 32 wait. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(1);

    private final DownstreamTokens tokens;
    private final OkHttpClient http;
    private final CallLimiter limiter;

    private DownstreamCalls(DownstreamTokens tokens, OkHttpClient http, int maxInFlight) {
        this.tokens = tokens;
        // Redirects would carry our Authorization header to wherever the API points: not followed.
        this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.limiter = new CallLimiter(maxInFlight, QUEUE_TIMEOUT);
    }

    /** @param http the client to derive from (its pools are shared) */
    public static DownstreamCalls create(DownstreamTokens tokens, OkHttpClient http) {
        return create(tokens, http, DEFAULT_MAX_IN_FLIGHT);
    }

    /** As {@link #create(DownstreamTokens, OkHttpClient)}, with at most {@code maxInFlight} calls in flight. */
    public static DownstreamCalls create(DownstreamTokens tokens, OkHttpClient http, int maxInFlight) {
        return new DownstreamCalls(Objects.requireNonNull(tokens, "tokens"), Objects.requireNonNull(http, "http"),
                maxInFlight);
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
            case ExchangeOutcome.Issued(DownstreamToken token) -> bounded(request.newBuilder()
                    .header("Authorization", "Bearer " + token.value()).build());
        };
    }

    /** Sends holding a place until the response is closed (its body's close releases it). */
    private Response bounded(Request request) throws IOException {
        Optional<CallLimiter.Permit> permit = limiter.acquire();
        if (permit.isEmpty()) {
            throw new IOException("too many calls in flight to downstream APIs (at most " + limiter.maxInFlight()
                    + ")");
        }
        Response response;
        try {
            response = http.newCall(request).execute();
        } catch (IOException | RuntimeException e) {
            permit.get().close();
            throw e;
        }
        ResponseBody body = response.body();
        return response.newBuilder().body(new ReleasingBody(body, permit.get())).build();
    }

    /** The API's body, which gives the call's place back when closed (OkHttp closes the body with the response). */
    private static final class ReleasingBody extends ResponseBody {
        private final ResponseBody body;
        private final BufferedSource source;
        private final CallLimiter.Permit permit;

        ReleasingBody(ResponseBody body, CallLimiter.Permit permit) {
            this.body = body;
            this.permit = permit;
            this.source = Okio.buffer(new ForwardingSource(body.source()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        permit.close();
                    }
                }
            });
        }

        @Override
        public MediaType contentType() {
            return body.contentType();
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }

        @Override
        public void close() {
            try {
                body.close();
            } finally {
                permit.close();
            }
        }
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
