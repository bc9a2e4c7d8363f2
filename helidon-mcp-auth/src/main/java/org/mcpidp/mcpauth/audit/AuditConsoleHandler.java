package org.mcpidp.mcpauth.audit;

import java.util.logging.StreamHandler;

/**
 * The audit lines on standard output (containers): a handler of its own class, because java.util.logging configures
 * formatters per handler class, and the server log's console handler must keep its own format. The audit
 * writer flushes it whenever its queue is drained (at once when idle, one write for many lines under load).
 */
public final class AuditConsoleHandler extends StreamHandler {

    public AuditConsoleHandler() {
        super(System.out, new AuditFormatter());
        setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public synchronized void close() {
        flush(); // never close standard output
    }
}
