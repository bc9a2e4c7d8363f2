package org.mcpidp.mcpauth;

import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;

/**
 * Carries a claims challenge from a tool (which cannot set the HTTP status) to the answer, through the request
 * context: registered by the bearer filter for every POST that calls a tool, filled by {@link ClaimsChallenge}. Only
 * a filled one puts {@link ChallengeAnswer} on the answer stream: any stream filter makes Helidon write the answer
 * through an output stream instead of in one piece, which cost every {@code tools/call} ~4% of its CPU when the
 * filter was installed up front.
 */
final class PendingChallenge {

    private static final System.Logger LOGGER = System.getLogger(PendingChallenge.class.getName());

    private final RoutingResponse res;
    private volatile String header;

    PendingChallenge(RoutingResponse res) {
        this.res = res;
    }

    /** Records the challenge; the answer (not yet started: the tool is still running) becomes the 401. */
    synchronized void set(String value) {
        boolean first = header == null;
        header = value;
        if (first) {
            try {
                res.streamFilter(out -> new ChallengeAnswer(out, res, this));
            } catch (IllegalStateException e) {
                // the answer has already started (a streaming tool): the JSON-RPC error still names the reason
                LOGGER.log(Level.WARNING, "claims challenge after the answer started: sent as a JSON-RPC error only");
            }
        }
    }

    String header() {
        return header;
    }
}
