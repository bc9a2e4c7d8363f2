package org.mcpidp.mcpauth.observe;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps java.util.logging's handlers open during the JVM's shutdown until {@link #release}. The log manager closes
 * every handler from a shutdown hook of its own, concurrently with the others, logger by logger and each logger's
 * handlers in order. A handler of this class put first on a logger is closed first, and its close waits for the
 * release (at most {@code most}), so the handlers after it stay open until then. It goes on the root logger and on
 * every logger that has handlers and does not use its parent's.
 */
final class LoggingHold {

    private final Duration most;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Logger> held = new CopyOnWriteArrayList<>();

    LoggingHold(Duration most) {
        this.most = most;
    }

    /** The loggers as configured now (the audit logger exists once the audit trail started). */
    void install() {
        LogManager manager = LogManager.getLogManager();
        for (String name : Collections.list(manager.getLoggerNames())) {
            Logger logger = manager.getLogger(name);
            if (logger == null || (!name.isEmpty() && logger.getUseParentHandlers())) {
                continue;
            }
            Handler[] handlers = logger.getHandlers();
            if (handlers.length == 0) {
                continue;
            }
            for (Handler handler : handlers) {
                logger.removeHandler(handler);
            }
            logger.addHandler(new Hold());
            for (Handler handler : handlers) {
                logger.addHandler(handler);
            }
            held.add(logger);
        }
    }

    /** Nothing needs logging any more: the log manager may close the handlers. */
    void release() {
        released.countDown();
    }

    /** Stopped without a JVM shutdown: takes the holds away again and releases. */
    void uninstall() {
        for (Logger logger : held) {
            for (Handler handler : logger.getHandlers()) {
                if (handler instanceof Hold hold && hold.owner() == this) {
                    logger.removeHandler(handler);
                }
            }
        }
        held.clear();
        release();
    }

    /** Whether the JVM runs its shutdown hooks: from then on the Runtime refuses new ones. */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    /** Writes nothing; closed during the JVM's shutdown, it waits for the release. */
    private final class Hold extends Handler {
        LoggingHold owner() {
            return LoggingHold.this;
        }

        @Override
        public void publish(LogRecord record) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            if (!jvmShuttingDown()) {
                return; // logging reconfigured while the server runs: nothing to wait for
            }
            try {
                released.await(most.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
