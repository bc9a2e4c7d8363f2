package org.mcpidp.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Copies what this JVM writes to stdout, stderr and java.util.logging (at the levels the loggers allow) into memory
 * while it is open, passing everything on unchanged; {@link #close} restores the streams and returns the text.
 */
public final class OutputCapture implements AutoCloseable {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            byte[] line = format.format(record).getBytes(StandardCharsets.UTF_8);
            synchronized (captured) {
                captured.writeBytes(line);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private boolean closed;

    private OutputCapture() {
    }

    public static OutputCapture start() {
        OutputCapture capture = new OutputCapture();
        capture.handler.setLevel(Level.ALL);
        capture.root.addHandler(capture.handler);
        System.setOut(new PrintStream(capture.tee(capture.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capture.tee(capture.err), true, StandardCharsets.UTF_8));
        return capture;
    }

    /** What was captured so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(handler);
        }
    }

    private OutputStream tee(OutputStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                synchronized (captured) {
                    captured.write(b, off, len);
                }
            }
        };
    }
}
