package org.mcpidp.mcpauth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The keys that protect a multi round-trip request's {@code requestState} (MCP 2026-07-28): HMAC-SHA256 keys, shared
 * by every instance behind one balancer (a state sealed by one is opened by another), from a secret. {@link #current}
 * seals; a state sealed with one of {@link #previous} is still accepted, so a key can be rotated without failing the
 * rounds in flight: add the new key as current, keep the old one as previous for at least the state lifetime.
 *
 * @param current  the key new states are sealed with (at least 32 bytes)
 * @param previous keys still accepted when opening a state
 * @param random   true when no key was configured and one was made for this process (one instance only)
 */
public record RequestStateKeys(byte[] current, List<byte[]> previous, boolean random) {

    /** Shorter keys are refused: HMAC-SHA256 wants at least its output length. */
    public static final int MIN_KEY_BYTES = 32;

    public RequestStateKeys {
        Objects.requireNonNull(current, "current");
        check(current, "the request state key");
        previous = List.copyOf(previous);
        previous.forEach(key -> check(key, "a previous request state key"));
        current = current.clone();
    }

    /** Keys from base64 text (standard or URL alphabet), as configuration holds them. */
    public static RequestStateKeys of(String currentBase64, List<String> previousBase64) {
        return new RequestStateKeys(decode(currentBase64, "the request state key"),
                previousBase64.stream().map(key -> decode(key, "a previous request state key")).toList(), false);
    }

    /**
     * A key made for this process: states do not survive a restart and are refused by other instances. Fine for one
     * instance; several need a configured key.
     */
    public static RequestStateKeys randomForThisProcess() {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new RequestStateKeys(key, List.of(), true);
    }

    @Override
    public byte[] current() {
        return current.clone();
    }

    @Override
    public String toString() {
        return "RequestStateKeys[current=***, previous=" + previous.size() + " keys, random=" + random + "]";
    }

    private static byte[] decode(String base64, String what) {
        Objects.requireNonNull(base64, what);
        String text = base64.strip();
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be base64 (e.g. openssl rand -base64 32)");
        }
    }

    private static void check(byte[] key, String what) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be at least " + MIN_KEY_BYTES + " bytes, was "
                    + key.length + " (e.g. openssl rand -base64 32)");
        }
    }
}
