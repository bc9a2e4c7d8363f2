package org.mcpidp.mcpserver.auth;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes an SSE stream through unchanged while reading the session id from its first event (the legacy HTTP+SSE
 * transport announces {@code endpoint} = {@code <path>/message?sessionId=<id>}), so that session can be bound to the
 * caller who opened it. Looks at the first 4 KB only.
 */
final class SseSessionSniffer extends FilterOutputStream {

    private static final Pattern SESSION_ID = Pattern.compile("sessionId=([A-Za-z0-9-]+)");
    private static final int LOOK_AT_MOST = 4096;

    private final Consumer<String> onSessionId;
    private final StringBuilder seen = new StringBuilder();
    private boolean done;

    SseSessionSniffer(OutputStream out, Consumer<String> onSessionId) {
        super(out);
        this.onSessionId = onSessionId;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!done) {
            seen.append(new String(bytes, offset, Math.min(length, LOOK_AT_MOST), StandardCharsets.US_ASCII));
            Matcher matcher = SESSION_ID.matcher(seen);
            // the id is complete once something follows it (end of the data line)
            if (matcher.find() && matcher.end() < seen.length()) {
                onSessionId.accept(matcher.group(1));
                done = true;
            } else if (seen.length() > LOOK_AT_MOST) {
                done = true;
            }
        }
        out.write(bytes, offset, length);
    }
}
