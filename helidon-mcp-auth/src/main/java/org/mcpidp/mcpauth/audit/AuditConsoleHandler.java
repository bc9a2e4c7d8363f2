package org.mcpidp.mcpauth.audit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The audit lines on standard output (containers): a handler of its own class, because java.util.logging configures
 * formatters per handler class, and the server log's console handler must keep its own format. Lines are held until
 * the audit writer flushes (once its queue stays empty for a moment, see {@link AuditSink}) and then go out in one
 * write of whole lines: {@code System.out} buffers 128 bytes, so each line (and each 512 bytes the character encoder
 * handed over) was a system call of its own.
 */
public final class AuditConsoleHandler extends StreamHandler {

    /** Held at most before the handler writes them out without waiting for a flush. */
    static final int MAX_HELD_BYTES = 64 * 1024;

    private final Held held;

    public AuditConsoleHandler() {
        this(System.out);
    }

    /** Writing to {@code target} instead of standard output (tests). */
    AuditConsoleHandler(PrintStream target) {
        this(new Held(target));
    }

    private AuditConsoleHandler(Held held) {
        super(held, new AuditFormatter());
        this.held = held;
        setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        super.publish(record);
        boolean full;
        synchronized (this) {
            full = held.size() >= MAX_HELD_BYTES;
        }
        if (full) {
            flush(); // at a record boundary: the write still holds whole lines
        }
    }

    @Override
    public synchronized void close() {
        flush(); // never close standard output
    }

    /** Keeps what the handler writes until it flushes; only the handler's lock ever touches it. */
    private static final class Held extends OutputStream {
        private final PrintStream target;
        private byte[] bytes = new byte[8192];
        private int size;

        Held(PrintStream target) {
            this.target = target;
        }

        int size() {
            return size;
        }

        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        @Override
        public void flush() {
            if (size > 0) {
                target.write(bytes, 0, size);
                size = 0;
            }
            target.flush();
        }
    }
}
