package org.mcpidp.mcpauth;

import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The bookkeeping around one request to the MCP endpoint, the same for every engine (the MCP extension's filter and
 * the SDK's endpoint): its request id, echoed in a header and put into the MDC (so every log line of the request
 * carries it); its {@link Exchange}; and, when it is closed, what was decided, told to the {@link AccessListener}.
 * Opened before the first stage and closed after the answer, in a try-with-resources.
 */
final class AuditedRequest implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(AuditedRequest.class.getName());

    private final Exchange exchange;
    private final ServerResponse res;
    private final AccessListener listener;
    private final long start;

    private AuditedRequest(Exchange exchange, ServerResponse res, AccessListener listener, long start) {
        this.exchange = exchange;
        this.res = res;
        this.listener = listener;
        this.start = start;
    }

    /**
     * @param arrivedClock the gate's clock, read once for {@link Exchange#arrived}; the audit's latency is wall time
     *                     of its own: an extra reading of the gate's (injectable) clock per request would change the
     *                     tool-call latencies that clock measures
     */
    static AuditedRequest open(RequestIds requestIds, ServerRequest req, ServerResponse res, LongSupplier arrivedClock,
                               AccessListener listener) {
        long start = System.nanoTime();
        String requestId = requestIds.of(req);
        res.header(RequestIds.HEADER, requestId);
        Exchange exchange = new Exchange(requestId, req.prologue().method().text(),
                req.headers().first(SessionGuard.SESSION_ID), arrivedClock.getAsLong());
        // The MDC puts the id into every log line of this request.
        HelidonMdc.set(RequestIds.MDC_KEY, requestId);
        return new AuditedRequest(exchange, res, listener, start);
    }

    Exchange exchange() {
        return exchange;
    }

    /** Ends the request's MDC and tells the listener what was decided. */
    @Override
    public void close() {
        HelidonMdc.remove(RequestIds.MDC_KEY);
        decided();
    }

    /** An audit listener must never fail the request. */
    private void decided() {
        try {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            for (AccessDecision decision : exchange.decisions(res.status().code(),
                    res.headers().first(SessionGuard.SESSION_ID), latency, listener)) {
                listener.decided(decision);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "access listener failed: " + e.getClass().getName());
        }
    }
}
