package org.mcpidp.mcpauth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Audit lines on standard output: held until the writer flushes, then written as whole lines, in one write. */
class AuditConsoleHandlerTest {

    /** Standard output as the handler sees it: each write call recorded. */
    private static final class Recording extends PrintStream {
        final List<String> writes = new ArrayList<>();

        Recording() {
            super(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            writes.add(new String(buf, off, len, StandardCharsets.UTF_8));
        }
    }

    @Test
    void whenLinesArePublishedThenNothingIsWrittenUntilAFlushWritesThemAllAtOnce() {
        Recording out = new Recording();
        AuditConsoleHandler handler = new AuditConsoleHandler(out);

        handler.publish(new LogRecord(Level.INFO, "{\"v\":1,\"request_id\":\"a\"}"));
        handler.publish(new LogRecord(Level.INFO, "{\"v\":1,\"request_id\":\"b\"}"));
        List<String> beforeFlush = List.copyOf(out.writes);
        handler.flush();

        assertThat(beforeFlush).isEmpty();
        assertThat(out.writes).containsExactly("{\"v\":1,\"request_id\":\"a\"}\n{\"v\":1,\"request_id\":\"b\"}\n");
    }

    @Test
    void whenMoreThanTheHeldMaximumIsPublishedThenItIsWrittenWithoutAFlushInWholeLines() {
        Recording out = new Recording();
        AuditConsoleHandler handler = new AuditConsoleHandler(out);
        String line = "{\"v\":1,\"padding\":\"" + "x".repeat(1000) + "\"}";

        for (int i = 0; i < 2 * AuditConsoleHandler.MAX_HELD_BYTES / line.length(); i++) {
            handler.publish(new LogRecord(Level.INFO, line));
        }

        assertThat(out.writes).isNotEmpty();
        assertThat(out.writes).allSatisfy(write -> assertThat(write).endsWith("}\n").startsWith("{\"v\":1"));
    }
}
