package org.mcpidp.ordersapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the API received, for tests that must prove which token reached it (and which never did): the SHA-256 of every
 * bearer value, never the value, with what the verifier made of it. Bounded; on only with
 * {@code orders-api.record-token-hashes=true}.
 */
public final class ReceivedTokens {

    /** Kept at most: a test makes a handful of calls, a forgotten switch must not grow the heap. */
    static final int LIMIT = 1000;

    /**
     * One bearer token as received.
     *
     * @param sha256    hex SHA-256 of the token text
     * @param accepted  whether it passed the audience and scope checks
     * @param subject   its {@code sub} when it verified
     * @param audiences its {@code aud} when it verified
     * @param clientId  its {@code azp} (or {@code client_id}) when it verified
     */
    public record Received(String sha256, boolean accepted, Optional<String> subject, Set<String> audiences,
                           Optional<String> clientId) {
    }

    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    void add(Received entry) {
        received.add(entry);
        while (received.size() > LIMIT) {
            received.poll();
        }
    }

    /** Everything received, oldest first. */
    public List<Received> all() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    /** Hex SHA-256 of a token's text, the same digest a test computes for the token it holds. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
