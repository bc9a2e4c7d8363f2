package org.mcpidp.verifier;

/**
 * Counters since the verifier was built, for metrics and tests.
 *
 * @param cacheHits             verifications answered from the cache
 * @param cacheMisses           verifications that had to load (coalesced loads count once per caller)
 * @param loads                 actual verifications performed (one per distinct token per cache lifetime)
 * @param introspectionCalls    HTTP requests sent to introspection endpoints
 * @param introspectionErrors   introspection calls that ended in "unavailable"
 * @param introspectionNanos    total time spent in introspection calls
 * @param cacheSize             current (approximate) number of cached outcomes
 * @param rejectedBusy          verifications refused because too many IdP calls were already in flight
 */
public record VerifierStats(long cacheHits,
                            long cacheMisses,
                            long loads,
                            long introspectionCalls,
                            long introspectionErrors,
                            long introspectionNanos,
                            long cacheSize,
                            long rejectedBusy) {

    /** Hits divided by lookups; 0 when nothing was looked up. */
    public double hitRatio() {
        long lookups = cacheHits + cacheMisses;
        return lookups == 0 ? 0.0 : (double) cacheHits / lookups;
    }
}
