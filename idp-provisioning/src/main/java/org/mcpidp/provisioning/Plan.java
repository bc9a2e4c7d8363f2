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
 * @param adopt     whether apply may take over the objects that exist but are not this tool's
 *                  ({@link Change.Update#notOwned()}); false for every plan a provisioner makes
 * @param notes     what the target chose for this tenant and why (e.g. how tokens get their audience), shown with
 *                  the plan whether or not anything changes
 */
public record Plan(TenantSpec tenant, List<Change> changes, int unchanged, boolean adopt, List<String> notes) {

    public Plan {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** A plan that takes nothing over. */
    public Plan(TenantSpec tenant, List<Change> changes, int unchanged, List<String> notes) {
        this(tenant, changes, unchanged, false, notes);
    }

    /** A plan that takes nothing over and has nothing to note. */
    public Plan(TenantSpec tenant, List<Change> changes, int unchanged) {
        this(tenant, changes, unchanged, false, List.of());
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    public long count(Class<? extends Change> kind) {
        return changes.stream().filter(kind::isInstance).count();
    }

    /** Updates of objects that exist under the spec's names but were made by someone else. */
    public List<Change.Update> notOwned() {
        return changes.stream().filter(c -> c instanceof Change.Update u && u.notOwned()).map(c -> (Change.Update) c)
                .toList();
    }

    /** What apply refuses to do: every {@link #notOwned()} change, unless this plan adopts them. */
    public List<Change.Update> refused() {
        return adopt ? List.of() : notOwned();
    }

    /** The same changes, allowed to take over (and mark as the tenant's) the objects that are not this tool's. */
    public Plan adopting() {
        return new Plan(tenant, changes, unchanged, true, notes);
    }
}
