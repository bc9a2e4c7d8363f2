package org.mcpidp.provisioning.keycloak;

import java.util.List;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.TenantSpec;

/** Plans and executes the changes for one resource type. */
interface Reconciler {

    ResourceType type();

    Diff plan(TenantSpec spec, LiveRealm live);

    void apply(Change change, TenantSpec spec, ApplyContext context);

    /** Creates/updates run in type order, deletes in reverse type order. */
    record Diff(List<Change> upserts, List<Change> deletes, int unchanged) {
    }
}
