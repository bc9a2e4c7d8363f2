package org.mcpidp.mcpauth.observe;

import io.helidon.common.Weighted;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.http.HeaderValues;
import io.helidon.spi.HelidonShutdownHandler;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A planned stop without a failed request. A SIGTERM (a rolling deploy, Kubernetes, systemd) makes the JVM run
 * Helidon's shutdown handlers, highest weight first, the web server's own among them; this one runs before it and
 * drains:
 * <ol>
 *   <li>readiness answers 503 at once ({@link ObserveService} reads {@link #draining}), so the balancer's health
 *       check takes the instance out;</li>
 *   <li>requests that still arrive are served as usual, each answered with {@code Connection: close}, so no idle
 *       keep-alive connection is left for the final close to race with. A request written onto a connection the
 *       server is closing is lost without an answer: HAProxy then closes its client's connection silently, and an
 *       MCP client sees "fetch failed" instead of the 404 that would have made it start a new session elsewhere;</li>
 *   <li>once no request has arrived for {@code shutdown.quiet-period} (the balancer has moved on), or after
 *       {@code shutdown.drain-timeout}, it returns and the web server stops its listeners;</li>
 *   <li>after that, what was handed to {@link #closeAfterStop} is closed (the audit trail writes its queue).</li>
 * </ol>
 * Requests under {@link ObserveService#PATH} (the health checks themselves) are not traffic. {@code WebServer.stop()}
 * called by code stops at once, as before: only the JVM's shutdown drains.
 *
 * <p>Logging, the audit trail's included, stays open to the end. The JVM's log manager closes every handler from a
 * shutdown hook of its own, started together with Helidon's. Helidon guards the root logger with a handler that waits
 * for Helidon's shutdown thread, but when the log manager's hook runs first, that thread has not started, the wait
 * returns at once, and every line of the drain is lost (9 of 20 SIGTERMs did so here without the hold). So this puts a handler of its own first on the root logger and on each logger that does not use its
 * parent's ({@code mcp.audit}) ({@link LoggingHold}); closed first, it waits until the last stage has run.
 *
 * @see <a href="https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination">pod termination</a>
 */
public final class ShutdownDrain implements HttpFeature, Weighted {

    private static final System.Logger LOGGER = System.getLogger(ShutdownDrain.class.getName());
    /** Before every other filter: a request refused by a later stage is traffic too, and gets its Connection: close. */
    private static final double FILTER_WEIGHT = 1000;
    /** Helidon runs shutdown handlers by weight, highest first; the web server's has the default weight. */
    private static final double BEFORE_SERVER = Weighted.DEFAULT_WEIGHT + 100;
    private static final double AFTER_SERVER = 1;
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(5);

    private final Duration timeout;
    private final Duration quiet;
    private final List<AutoCloseable> closeAfterStop = new CopyOnWriteArrayList<>();
    private final Stage drain = new Stage(BEFORE_SERVER, this::drain);
    private final Stage close = new Stage(AFTER_SERVER, this::closeAll);
    private final LoggingHold logging;
    private volatile boolean draining;
    private volatile long lastRequestNanos = System.nanoTime();

    private ShutdownDrain(Duration timeout, Duration quiet) {
        this.timeout = timeout;
        this.quiet = quiet;
        this.logging = new LoggingHold(timeout.plus(CLOSE_BUDGET));
    }

    /**
     * Reads {@code shutdown.drain-timeout} (default PT15S; PT0S stops at once) and {@code shutdown.quiet-period}
     * (default PT1S); a value that is not a duration, or is negative, fails naming its key.
     */
    public static ShutdownDrain from(Config config) {
        return new ShutdownDrain(duration(config, "shutdown.drain-timeout", Duration.ofSeconds(15)),
                duration(config, "shutdown.quiet-period", Duration.ofSeconds(1)));
    }

    private static Duration duration(Config config, String key, Duration fallback) {
        Duration value;
        try {
            value = config.get(key).as(Duration.class).orElse(fallback);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + ": not an ISO-8601 duration such as PT5S ("
                    + config.get(key).asString().orElse("") + ")");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + ": must not be negative (" + value + ")");
        }
        return value;
    }

    /** True from the moment the drain starts. */
    public boolean draining() {
        return draining;
    }

    /** Closed on the JVM's shutdown once the listeners have stopped, in the order given. */
    public ShutdownDrain closeAfterStop(AutoCloseable resource) {
        closeAfterStop.add(resource);
        return this;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!req.path().path().startsWith(ObserveService.PATH)) {
            lastRequestNanos = System.nanoTime();
            if (draining) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
        }
        chain.proceed();
    }

    @Override
    public void beforeStart() {
        io.helidon.Main.addShutdownHandler(drain);
        io.helidon.Main.addShutdownHandler(close);
        logging.install();
    }

    /**
     * The listeners stopped. Stopped by code (no drain ran), the JVM's shutdown has nothing of this server left to
     * do; during the JVM's shutdown the last stage still closes what it was given.
     */
    @Override
    public void afterStop() {
        io.helidon.Main.removeShutdownHandler(drain);
        if (!draining) {
            io.helidon.Main.removeShutdownHandler(close);
            logging.uninstall();
        }
    }

    private void drain() {
        draining = true;
        long start = System.nanoTime();
        LOGGER.log(Level.INFO, "shutdown: draining (not ready; serving until no request came for " + quiet
                + ", at most " + timeout + ")");
        long now = start;
        while (now - start < timeout.toNanos() && now - Math.max(lastRequestNanos, start) < quiet.toNanos()) {
            try {
                Thread.sleep(Duration.ofMillis(50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = System.nanoTime();
        }
        boolean stillBusy = now - Math.max(lastRequestNanos, start) < quiet.toNanos() && !timeout.isZero();
        LOGGER.log(Level.INFO, "shutdown: drained after " + Duration.ofNanos(now - start).toMillis() + " ms"
                + (stillBusy ? " (drain timeout reached; requests were still arriving)" : ""));
    }

    private void closeAll() {
        try {
            for (AutoCloseable resource : closeAfterStop) {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOGGER.log(Level.WARNING, "shutdown: closing " + resource + " failed: " + e);
                }
            }
        } finally {
            logging.release();
        }
    }

    @Override
    public double weight() {
        return FILTER_WEIGHT;
    }

    /** One step of Helidon's shutdown sequence. */
    private record Stage(double weight, Runnable action) implements HelidonShutdownHandler, Weighted {
        @Override
        public void shutdown() {
            action.run();
        }
    }

    @Override
    public String toString() {
        return "shutdown drain (timeout " + timeout + ", quiet period " + quiet + ")";
    }
}
