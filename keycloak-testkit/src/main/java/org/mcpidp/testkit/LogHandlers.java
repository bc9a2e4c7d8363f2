package org.mcpidp.testkit;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * java.util.logging has no handler made from a function: tests that capture, block or fail a log line (the audit
 * trail's tests) get one here instead of each writing the same anonymous class.
 */
public final class LogHandlers {

    private LogHandlers() {
    }

    /** A handler that hands every record to {@code publish}; flush and close do nothing. */
    public static Handler of(Consumer<LogRecord> publish) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                publish.accept(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
