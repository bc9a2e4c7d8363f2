package org.mcpidp.mcpauth.audit;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Between the request threads and the log: a bounded queue and one writer thread. {@link #offer} never blocks and
 * never throws; the writer (a virtual thread, parked while the queue is empty) turns each line into JSON and logs it. A full queue (a slow or blocked handler) and a
 * handler that throws both lose the event, and both are counted ({@link Drops}): the audit trail may have gaps under
 * overload, the requests never wait for it.
 */
final class AuditSink implements AutoCloseable {

    /** Told about each lost event. */
    interface Drops {
        void queueFull();

        void sinkFailed();
    }

    private final BlockingQueue<AuditLine> queue;
    private final Logger logger;
    private final Drops drops;
    private final Thread writer;
    private volatile boolean open = true;

    AuditSink(Logger logger, int capacity, Drops drops) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.logger = logger;
        this.drops = drops;
        this.writer = Thread.ofVirtual().name("mcp-audit-writer").unstarted(this::write);
        this.writer.start();
    }

    /** Queues a line for the writer; false (and counted) when the queue is full or the sink closed. */
    boolean offer(AuditLine line) {
        if (open && queue.offer(line)) {
            return true;
        }
        drops.queueFull();
        return false;
    }

    int queued() {
        return queue.size();
    }

    private void write() {
        try {
            while (true) {
                writeOne(queue.take());
                if (queue.isEmpty()) {
                    flush();
                }
            }
        } catch (InterruptedException e) {
            // closed: write what is still queued, then end
            for (AuditLine line = queue.poll(); line != null; line = queue.poll()) {
                writeOne(line);
            }
            flush();
        }
    }

    private void writeOne(AuditLine line) {
        try {
            LogRecord record = new LogRecord(Level.INFO, line.toJson());
            record.setLoggerName(logger.getName());
            record.setInstant(line.time());
            logger.log(record);
        } catch (RuntimeException | Error e) {
            // A broken handler must not end the writer: the line is lost and counted, the next one is tried.
            drops.sinkFailed();
        }
    }

    /**
     * Flushes the handlers that receive the audit logger's records, once the queue is drained: a line reaches the
     * output as soon as the writer has nothing else to do, and under load one write carries many lines instead of a
     * system call per line.
     */
    private void flush() {
        try {
            for (Logger current = logger; current != null; current = current.getUseParentHandlers()
                    ? current.getParent() : null) {
                for (Handler handler : current.getHandlers()) {
                    handler.flush();
                }
            }
        } catch (RuntimeException e) {
            // a flush that fails loses no queued event; the writer goes on (handlers report their own errors)
        }
    }

    /** Stops taking events; the writer writes what is queued (for at most {@code 2 s}) and ends. */
    @Override
    public void close() {
        open = false;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
