package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The answer stream of a {@code tools/call}: passes everything through, unless the tool recorded a claims challenge
 * before the MCP handler wrote its first byte (a tool runs before its answer is written). Then the JSON-RPC error is
 * replaced by HTTP 401 with the challenge, decided before any header left, so nothing is buffered on the normal path.
 */
final class ChallengeAnswer extends OutputStream {

    private static final byte[] BODY = ("{\"error\":\"insufficient_claims\",\"error_description\":"
            + "\"the downstream API requires more claims: get a new token with the claims in WWW-Authenticate\"}")
            .getBytes(StandardCharsets.US_ASCII);

    private final OutputStream delegate;
    private final ServerResponse res;
    private final PendingChallenge pending;
    private Boolean challenged;

    ChallengeAnswer(OutputStream delegate, ServerResponse res, PendingChallenge pending) {
        this.delegate = delegate;
        this.res = res;
        this.pending = pending;
    }

    private boolean challenged() {
        if (challenged == null) {
            String header = pending.header();
            challenged = header != null;
            if (challenged) {
                res.status(Status.UNAUTHORIZED_401);
                res.headers().set(HeaderNames.WWW_AUTHENTICATE, header);
                res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
                res.headers().remove(HeaderNames.CONTENT_LENGTH);
            }
        }
        return challenged;
    }

    @Override
    public void write(int b) throws IOException {
        if (!challenged()) {
            delegate.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!challenged()) {
            delegate.write(bytes, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!challenged()) {
            delegate.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (challenged()) {
            delegate.write(BODY);
        }
        delegate.close();
    }
}
