package org.mcpidp.provisioning.engine;

import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * What an IdP target gives the {@link PlanEngine}: how to read a tenant, what its changes need while they run, and
 * its write counter. Everything else (walking the reconcilers, ordering, counting, reporting) is the engine's.
 *
 * @param <L> the target's one read of the live tenant
 * @param <C> the target's apply context
 */
public interface Target<L, C> extends AutoCloseable {

    /** One consistent read of everything the tenant's plan depends on (reads only). */
    L read(TenantSpec tenant);

    C context(TenantSpec tenant, SecretSink secrets);

    /** What the plan of {@code tenant} should say about the target's choices (see {@code Plan#notes}); none by default. */
    default java.util.List<String> notes(TenantSpec tenant, L live) {
        return java.util.List.of();
    }

    /** Writes made so far against the IdP (each counted once, however often it was retried). */
    long writes();

    /** Runs after the last change of an apply, inside its report's time and write count; reads only by default. */
    default void afterApply(TenantSpec tenant, C context) {
    }

    @Override
    void close();
}
