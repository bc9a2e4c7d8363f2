package org.mcpidp.mcpauth;

import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** The feature builder's package-private test settings, for the demo's tests in other packages. */
public final class BuilderHooks {

    private BuilderHooks() {
    }

    /** Sessions' idleness judged by {@code nanoTime} instead of {@link System#nanoTime}. */
    public static UnaryOperator<BearerAuthFeature.Builder> sessionClock(LongSupplier nanoTime) {
        return builder -> builder.sessionClock(nanoTime);
    }
}
