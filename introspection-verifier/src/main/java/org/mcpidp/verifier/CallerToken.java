package org.mcpidp.verifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The verified access token a caller presented, carried inside its {@link AuthInfo} so a token exchange (RFC 8693,
 * On-Behalf-Of) can use it as the subject token. It is a value of its own, not a {@code String} component, so that
 * {@code toString} never shows it (records print every component) and nothing treats it as an ordinary claim.
 *
 * <p>The verifier attaches it after its cache: the cache keeps {@code AuthInfo}s without it, as before, and the
 * token lives only as long as the request that carried it. Only a token exchanger should read {@link #value()}; the
 * downstream HTTP helper refuses to send it anywhere.
 */
public final class CallerToken {

    private final String value;

    private CallerToken(String value) {
        this.value = value;
    }

    public static CallerToken of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a caller token cannot be blank");
        }
        return new CallerToken(value);
    }

    /** The token exactly as received: for a token exchange only, never for a log, a metric or another API. */
    public String value() {
        return value;
    }

    /** True when {@code candidate} is this token (constant time), e.g. to refuse it in an outgoing header. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.ISO_8859_1),
                candidate.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallerToken that && that.matches(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "CallerToken[<redacted>]";
    }
}
