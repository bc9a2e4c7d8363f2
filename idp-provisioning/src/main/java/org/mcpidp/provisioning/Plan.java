package org.mcpidp.provisioning;

import java.util.List;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * What {@code apply} will do to one tenant, computed from the live IdP without changing it. Changes are ordered so
 * that each one only needs what the earlier ones created: realm, roles, client scopes, clients, users, role mappings,
 * registration policies, client policies,
 * then deletes in reverse dependency order.
 *
 * @param unchanged objects the spec manages that already match
 */
public record Plan(TenantSpec tenant, List<Change> changes, int unchanged) {

    public Plan {
        changes = List.copyOf(changes);
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    public long count(Class<? extends Change> kind) {
        return changes.stream().filter(kind::isInstance).count();
    }
}
