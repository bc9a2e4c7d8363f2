package org.mcpidp.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one call to an identity provider may take and how many run at once: the settings every IdP client in the
 * kit (introspection and JWKS, token exchange, On-Behalf-Of) validates the same way. Each {@code with...} method
 * checks its value and names the setting in the error, so a builder's setter is one line.
 *
 * @param connectTimeout longest wait for a connection, positive
 * @param readTimeout longest wait for the answer, positive
 * @param maxConcurrent most calls in flight at once (and, for a client made here, idle connections kept), at least 1
 */
public record HttpClientSettings(Duration connectTimeout, Duration readTimeout, int maxConcurrent) {

    public HttpClientSettings {
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
    }

    public HttpClientSettings withConnectTimeout(Duration value) {
        return new HttpClientSettings(value, readTimeout, maxConcurrent);
    }

    public HttpClientSettings withReadTimeout(Duration value) {
        return new HttpClientSettings(connectTimeout, value, maxConcurrent);
    }

    public HttpClientSettings withMaxConcurrent(int value) {
        return new HttpClientSettings(connectTimeout, readTimeout, value);
    }

    /** The bound for a whole call: connecting plus reading (a slow trickle of bytes cannot stretch it). */
    public Duration callTimeout() {
        return connectTimeout.plus(readTimeout);
    }

    private static void positive(Duration value, String name) {
        Checks.positive(value, name);
    }
}
