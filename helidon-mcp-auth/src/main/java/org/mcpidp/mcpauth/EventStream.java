package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One answer written as a server-sent event stream: {@code text/event-stream}, never cached, each message a frame
 * ({@code event: message}, its compact JSON on one {@code data:} line, with an {@code id:} line when it has one),
 * flushed as it is written so progress and input requests reach the client while the request runs. Thread-safe: a
 * tool's notifications and the final answer may come from different threads.
 */
final class EventStream implements AutoCloseable {

    private final ServerResponse res;
    private OutputStream out;
    private boolean closed;

    EventStream(ServerResponse res) {
        this.res = res;
    }

    /** Writes one frame; the first also writes the status and headers. */
    synchronized void message(byte[] json, String id) {
        write(head(id), json, new byte[] {'\n', '\n'});
    }

    private static byte[] head(String id) {
        return (id == null ? "event: message\ndata: " : "id: " + id + "\nevent: message\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void headers() {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-transform");
        res.header("X-Accel-Buffering", "no");
    }

    /**
     * Writes the stream's last frame. When it is also the first, the whole answer goes out at once, with its length
     * (no chunked encoding, no output stream and its buffer: most answers are one frame); either way the stream is
     * closed afterwards.
     */
    synchronized void last(byte[] json, String id) {
        if (out != null || closed) {
            message(json, id);
            close();
            return;
        }
        byte[] head = head(id);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        closed = true;
        headers();
        res.send(frame);
    }

    /** A comment line: keeps a quiet stream open through proxies. */
    synchronized void keepAlive() {
        write(new byte[] {':', '\n', '\n'});
    }

    private void write(byte[]... parts) {
        if (closed) {
            throw new UncheckedIOException(new IOException("the event stream is closed"));
        }
        try {
            if (out == null) {
                headers();
                out = res.outputStream();
            }
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        } catch (IOException e) {
            closed = true;
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a frame was written (else the answer has not started). */
    synchronized boolean started() {
        return out != null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the client went away: nothing left to tell it
            }
        }
    }
}
