package org.mcpidp.mcpauth.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health and metrics under {@code /observe} (Helidon's default observe paths): {@code /observe/health/live} (the
 * process answers), {@code /observe/health/ready} (every issuer's metadata is loaded, so tokens can be checked),
 * {@code /observe/health} (both) and {@code /observe/metrics} (the application's scrape, Prometheus text 0.0.4).
 * With a {@link ShutdownDrain}, readiness also needs the instance not to be draining (a third check,
 * {@code accepting-requests}): on SIGTERM the balancer sees 503 here while the requests it still sends are served.
 * Unauthenticated, like Helidon's own observers: serve it on its own port ({@link ObserveSettings}) where only
 * operators reach it.
 *
 * <p>The kit's meters use Micrometer's API only; which registry exports them is the application's choice (the demo
 * uses Micrometer's Prometheus registry and hands {@code registry::scrape} to {@link Builder#metrics}). Helidon's own
 * observe modules are not published for 4.5.0, and their 4.4.0 builds would mix two Helidon releases in one server.
 * Health is two fixed checks, written here in the shape Helidon's health observer answers.
 * <pre>{@code
 * ObserveService observe = ObserveService.builder().ready(verifier::ready).drain(drain)
 *         .metrics(registry, registry::scrape).bind(new ServerMeters(verifier, auth::sessionStats)).build();
 * }</pre>
 */
public final class ObserveService implements HttpService {

    /** Where {@code Main} registers this service; requests under it are health checks and scrapes, not traffic. */
    public static final String PATH = "/observe";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final BooleanSupplier ready;
    private final BooleanSupplier draining;
    private final Optional<Supplier<String>> scrape;
    /** Held so that the meters' state objects stay reachable (Micrometer references them weakly). */
    private final List<MeterBinder> binders;

    private ObserveService(Builder builder) {
        this.ready = builder.ready;
        this.draining = builder.draining;
        this.scrape = Optional.ofNullable(builder.scrape);
        this.binders = List.copyOf(builder.binders);
        if (!binders.isEmpty() && builder.registry == null) {
            throw new IllegalStateException("ObserveService: bind(...) needs metrics(registry, scrape) to bind to");
        }
        binders.forEach(binder -> binder.bindTo(builder.registry));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (req, res) -> health(res, true, true, true))
                .get("/health/ready", (req, res) -> health(res, true, ready.getAsBoolean(), !draining.getAsBoolean()))
                .get("/health", (req, res) -> health(res, true, ready.getAsBoolean(), !draining.getAsBoolean()));
        scrape.ifPresent(text -> rules.get("/metrics", (req, res) -> metrics(res, text)));
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

    private static void metrics(ServerResponse res, Supplier<String> scrape) {
        res.header(HeaderNames.CONTENT_TYPE, PROMETHEUS);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(scrape.get());
    }

    /** Builds an {@link ObserveService}; only {@link #ready} is required. */
    public static final class Builder {
        private BooleanSupplier ready;
        private BooleanSupplier draining = () -> false;
        private MeterRegistry registry;
        private Supplier<String> scrape;
        private final List<MeterBinder> binders = new ArrayList<>();

        private Builder() {
        }

        /** Readiness beyond liveness: e.g. {@code verifier::ready} (every issuer's metadata is loaded). */
        public Builder ready(BooleanSupplier ready) {
            this.ready = Objects.requireNonNull(ready, "ready");
            return this;
        }

        /** Not ready while {@code drain} drains. */
        public Builder drain(ShutdownDrain drain) {
            this.draining = Objects.requireNonNull(drain, "drain")::draining;
            return this;
        }

        /**
         * Serves {@code /metrics} with {@code scrape} (Prometheus text 0.0.4, e.g. {@code registry::scrape} of
         * Micrometer's Prometheus registry); {@link #bind} binds to {@code registry}. Without it there is no
         * {@code /metrics}.
         */
        public Builder metrics(MeterRegistry registry, Supplier<String> scrape) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.scrape = Objects.requireNonNull(scrape, "scrape");
            return this;
        }

        /** Meters bound to the {@link #metrics} registry when the service is built, and kept reachable by it. */
        public Builder bind(MeterBinder... meters) {
            binders.addAll(List.of(meters));
            return this;
        }

        public ObserveService build() {
            if (ready == null) {
                throw new IllegalStateException("ObserveService needs ready(...)");
            }
            return new ObserveService(this);
        }
    }
}
