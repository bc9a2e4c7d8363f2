package org.mcpidp.mcpserver.audit;

import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The audit lines on standard output (containers): a handler of its own class, because java.util.logging configures
 * formatters per handler class, and the server log's console handler must keep its own format. Flushes every line.
 */
public final class AuditConsoleHandler extends StreamHandler {

    public AuditConsoleHandler() {
        super(System.out, new AuditFormatter());
        setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
    }

    @Override
    public synchronized void close() {
        flush(); // never close standard output
    }
}
