package org.mcpidp.mcpauth;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of one request to the MCP endpoint: in its audit record, in every log line written while the bearer filter
 * runs (MDC key {@value #MDC_KEY}) and in the answer's {@value #HEADER_NAME} header. An incoming {@value #HEADER_NAME}
 * is kept when {@code acceptIncoming} and it is 1-64 characters of {@code [A-Za-z0-9._:-]} (what HAProxy's
 * {@code unique-id-format}, NGINX's {@code $request_id} or an ingress sets), so the balancer's log, the server's log
 * and the audit line share one id; anything else is replaced by a random UUID ({@link #random}), so a caller cannot inject text into
 * the log or the audit line. An accepted id is a correlation key, not an authenticated value: a client that reaches
 * the server directly can choose it (turn acceptance off when nothing in front sets it).
 */
record RequestIds(boolean acceptIncoming) {

    static final String HEADER_NAME = "X-Request-Id";
    static final HeaderName HEADER = HeaderNames.create(HEADER_NAME);
    static final String MDC_KEY = "request_id";
    private static final int MAX_LENGTH = 64;

    String of(ServerRequest req) {
        if (acceptIncoming) {
            Optional<String> incoming = req.headers().first(HEADER);
            if (incoming.isPresent() && sane(incoming.get()) && req.headers().all(HEADER, java.util.List::of).size() == 1) {
                return incoming.get();
            }
        }
        return random();
    }

    /**
     * A version-4-shaped UUID from {@link ThreadLocalRandom}: an id is a correlation key, not a secret, and
     * {@code UUID.randomUUID()} (SecureRandom) would make every request thread contend for one generator.
     */
    static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    static boolean sane(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
