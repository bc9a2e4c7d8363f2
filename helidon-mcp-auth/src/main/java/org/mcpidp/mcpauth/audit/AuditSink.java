package org.mcpidp.mcpauth.audit;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /**
     * Written lines are flushed once no new one came for this long, and at least this often while they keep coming:
     * a flush per line (the writer usually finds one line in the queue) was a system call per request.
     */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private void write() {
        try {
            boolean unflushed = false;
            long firstUnflushed = 0;
            while (true) {
                AuditLine line = unflushed ? queue.poll(QUIET_NANOS, TimeUnit.NANOSECONDS) : queue.take();
                if (line == null) {
                    flush(); // quiet: what was written reaches the output now
                    unflushed = false;
                    continue;
                }
                writeOne(line);
                long now = System.nanoTime();
                if (!unflushed) {
                    unflushed = true;
                    firstUnflushed = now;
                } else if (now - firstUnflushed >= MAX_DELAY_NANOS) {
                    flush();
                    unflushed = false;
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
     * Flushes the handlers that receive the audit logger's records, once no line came for {@link #QUIET_NANOS} (or
     * every {@link #MAX_DELAY_NANOS} under steady load): a line reaches the output within milliseconds, and one write
     * carries many lines instead of a system call per line.
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
