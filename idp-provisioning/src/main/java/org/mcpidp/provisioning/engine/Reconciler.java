package org.mcpidp.provisioning.engine;

import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Plans and executes the changes for one kind of IdP object of one target.
 *
 * @param <L> the target's one read of the live tenant, taken once per plan
 * @param <C> what the target's changes need while they execute (gateway, secrets sink)
 */
public interface Reconciler<L, C> {

    ResourceType type();

    Diff plan(TenantSpec spec, L live);

    /**
     * Whether {@code change} is this reconciler's. The type tells for most; a target where two reconcilers make
     * objects of one type (Entra: the API and the clients are both applications) tells them apart here.
     */
    default boolean handles(Change change, TenantSpec spec) {
        return change.type() == type();
    }

    void apply(Change change, TenantSpec spec, C context);
}
