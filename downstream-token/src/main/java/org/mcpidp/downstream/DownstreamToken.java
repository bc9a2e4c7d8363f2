package org.mcpidp.downstream;

import java.time.Instant;
import java.util.Objects;

/**
 * A token issued for a downstream API, for one caller. Its value never appears in {@code toString}, logs or metrics.
 *
 * @param value     the access token to send to the downstream API
 * @param expiresAt when the IdP said it expires
 */
public record DownstreamToken(String value, Instant expiresAt) {

    public DownstreamToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "DownstreamToken[value=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
