package org.mcpidp.mcpserver.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Health and metrics under {@code /observe} (Helidon's default observe paths): {@code /observe/health/live} (the
 * process answers), {@code /observe/health/ready} (every issuer's metadata is loaded, so tokens can be checked),
 * {@code /observe/health} (both) and {@code /observe/metrics} (Prometheus). Unauthenticated, like Helidon's own
 * observers: expose this port only where operators can reach it.
 *
 * <p>Helidon's observe modules (helidon-webserver-observe-health/-metrics) are not published for Helidon 4.5.0, so
 * this small service answers in the same shape instead.
 */
public final class ObserveService implements HttpService {

    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final BooleanSupplier ready;
    private final AuthMetrics metrics;

    public ObserveService(BooleanSupplier ready, AuthMetrics metrics) {
        this.ready = Objects.requireNonNull(ready);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (req, res) -> health(res, true, true))
                .get("/health/ready", (req, res) -> health(res, true, ready.getAsBoolean()))
                .get("/health", (req, res) -> health(res, true, ready.getAsBoolean()))
                .get("/metrics", this::metrics);
    }

    private static void health(ServerResponse res, boolean live, boolean isReady) {
        boolean up = live && isReady;
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":["
                + "{\"name\":\"live\",\"status\":\"UP\"},"
                + "{\"name\":\"issuer-metadata\",\"status\":\"" + (isReady ? "UP" : "DOWN") + "\"}]}";
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, PROMETHEUS);
        res.send(metrics.prometheus());
    }
}
