package org.mcpidp.provisioning.entra;

import java.util.List;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.spec.TenantSpec;

/** Plans and executes the changes for one kind of Entra object. */
interface Reconciler {

    Diff plan(TenantSpec spec, LiveTenant live);

    /** Whether {@code change} is this reconciler's (types alone do not tell: two reconcilers make applications). */
    boolean handles(Change change, TenantSpec spec);

    void apply(Change change, TenantSpec spec, ApplyContext context);

    /** Creates/updates run in reconciler order, deletes in reverse reconciler order. */
    record Diff(List<Change> upserts, List<Change> deletes, int unchanged) {
    }
}
