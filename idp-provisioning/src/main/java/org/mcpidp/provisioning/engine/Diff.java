package org.mcpidp.provisioning.engine;

import java.util.List;
import org.mcpidp.provisioning.Change;

/**
 * One reconciler's part of a plan: creates/updates run in reconciler order, deletes in reverse reconciler order.
 *
 * @param unchanged managed objects that already match
 */
public record Diff(List<Change> upserts, List<Change> deletes, int unchanged) {

    public Diff {
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
    }
}
