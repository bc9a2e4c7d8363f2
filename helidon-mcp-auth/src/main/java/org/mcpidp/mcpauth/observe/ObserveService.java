package org.mcpidp.mcpauth.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Health and metrics under {@code /observe} (Helidon's default observe paths): {@code /observe/health/live} (the
 * process answers), {@code /observe/health/ready} (every issuer's metadata is loaded, so tokens can be checked),
 * {@code /observe/health} (both) and {@code /observe/metrics} (the Micrometer registry, Prometheus text 0.0.4).
 * With a {@link ShutdownDrain}, readiness also needs the instance not to be draining (a third check,
 * {@code accepting-requests}): on SIGTERM the balancer sees 503 here while the requests it still sends are served.
 * Unauthenticated, like Helidon's own observers: serve it on its own port ({@link ObserveSettings}) where only
 * operators reach it.
 *
 * <p>Metrics come from Micrometer's Prometheus registry (the version the Helidon 4.5.0 BOM pins). Helidon's own observe
 * modules are not published for 4.5.0, and their 4.4.0 builds would mix two Helidon releases in one server. Health is
 * two fixed checks, written here in the shape Helidon's health observer answers.
 */
public final class ObserveService implements HttpService {

    /** Where {@code Main} registers this service; requests under it are health checks and scrapes, not traffic. */
    public static final String PATH = "/observe";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final BooleanSupplier ready;
    private final BooleanSupplier draining;
    private final PrometheusMeterRegistry registry;
    /** Held so that the meters' state objects stay reachable (Micrometer references them weakly). */
    private final List<MeterBinder> binders;

    /** {@code binders} are bound to {@code registry} here. */
    public ObserveService(BooleanSupplier ready, PrometheusMeterRegistry registry, List<MeterBinder> binders) {
        this(ready, () -> false, registry, binders);
    }

    /** As above; not ready while {@code drain} drains. */
    public ObserveService(BooleanSupplier ready, ShutdownDrain drain, PrometheusMeterRegistry registry,
                          List<MeterBinder> binders) {
        this(ready, drain::draining, registry, binders);
    }

    private ObserveService(BooleanSupplier ready, BooleanSupplier draining, PrometheusMeterRegistry registry,
                           List<MeterBinder> binders) {
        this.ready = Objects.requireNonNull(ready);
        this.draining = draining;
        this.registry = Objects.requireNonNull(registry);
        this.binders = List.copyOf(binders);
        this.binders.forEach(binder -> binder.bindTo(registry));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (req, res) -> health(res, true, true, true))
                .get("/health/ready", (req, res) -> health(res, true, ready.getAsBoolean(), !draining.getAsBoolean()))
                .get("/health", (req, res) -> health(res, true, ready.getAsBoolean(), !draining.getAsBoolean()))
                .get("/metrics", this::metrics);
    }

    private static void health(ServerResponse res, boolean live, boolean metadata, boolean accepting) {
        boolean up = live && metadata && accepting;
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":["
                + "{\"name\":\"live\",\"status\":\"UP\"},"
                + "{\"name\":\"issuer-metadata\",\"status\":\"" + (metadata ? "UP" : "DOWN") + "\"},"
                + "{\"name\":\"accepting-requests\",\"status\":\"" + (accepting ? "UP" : "DOWN") + "\"}]}";
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, PROMETHEUS);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(registry.scrape());
    }
}
