package org.mcpidp.verifier;

import java.time.Instant;

/**
 * The testkit's {@link org.mcpidp.testkit.MutableClock} under this package's name, which the verifier's tests use
 * unqualified; the clock itself is written once, in the testkit.
 */
final class MutableClock extends org.mcpidp.testkit.MutableClock {

    MutableClock(Instant start) {
        super(start);
    }

    public static MutableClock now() {
        return new MutableClock(Instant.now());
    }
}
