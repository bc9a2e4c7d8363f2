package org.mcpidp.provisioning.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The keyed diff every reconciler plans with: the spec gives the wanted objects by key (name in the IdP) with their
 * managed fields; a key missing live is a create, one whose live fields differ an update, an equal one unchanged;
 * a live object this tool owns whose key is no longer wanted is a delete. A type whose objects carry this tool's
 * ownership marker says whose each one is ({@link #owner}); its plans then show the marker as the field
 * {@value Owner#FIELD}, and where its type asks for it ({@link #takeoverNeedsAdoption()}) a live object under a
 * wanted key that is not this tenant's is planned as a takeover ({@link Change.Update#notOwned()}), which apply
 * refuses unless the plan adopts it. Subclasses say only how to read their objects into fields, and how to write
 * them ({@link #apply}).
 */
public abstract class KeyedReconciler<L, C> implements Reconciler<L, C> {

    /** Key -> the managed fields the spec wants, in plan order. May depend on {@code live} (ids known only there). */
    protected abstract Map<String, Map<String, String>> desired(TenantSpec spec, L live);

    /**
     * The live object's managed fields, or empty when it does not exist. An object whose fields are never compared
     * (created once, never changed) answers {@code desired} itself.
     */
    protected abstract Optional<Map<String, String>> current(TenantSpec spec, L live, String key,
                                                             Map<String, String> desired);

    /** Keys of live objects this tool owns for the tenant; those not wanted become deletes. None by default. */
    protected Stream<String> owned(TenantSpec spec, L live) {
        return Stream.empty();
    }

    /**
     * Keys of the deletes: by default the {@link #owned} keys that are not wanted. A reconciler whose owned objects
     * are not keyed like its wanted ones (one type made by two reconcilers) says which of them are its orphans.
     */
    protected Stream<String> orphans(TenantSpec spec, L live, Set<String> wanted) {
        return owned(spec, live).filter(key -> !wanted.contains(key));
    }

    /**
     * Whose the live object under {@code key} is, read from the ownership marker ({@link Owner#NOBODY} when there is
     * no such object); empty, the default, for a type whose objects carry no marker. A type with one always answers:
     * its wanted objects get the field {@value Owner#FIELD} (the tenant's realm), its live ones whose marker it is.
     */
    protected Optional<Owner> owner(TenantSpec spec, L live, String key) {
        return Optional.empty();
    }

    /**
     * Whether an existing object under a wanted key that is not this tenant's (someone else's, or nobody's: made by
     * hand or by another tool under the name the spec gives) is planned as a takeover that apply refuses unless the
     * plan adopts it. No by default: the update marks it as the tenant's, and the plan shows that.
     */
    protected boolean takeoverNeedsAdoption() {
        return false;
    }

    /** What a create shows: every desired field except empty and {@code false} ones. */
    protected List<FieldChange> created(TenantSpec spec, String key, Map<String, String> desired) {
        return FieldChange.created(desired);
    }

    @Override
    public final Diff plan(TenantSpec spec, L live) {
        Map<String, Map<String, String>> wanted = desired(spec, live);
        List<Change> upserts = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, Map<String, String>> entry : wanted.entrySet()) {
            String key = entry.getKey();
            Optional<Owner> owner = owner(spec, live, key);
            Map<String, String> desired = entry.getValue();
            if (owner.isPresent()) {
                desired = with(desired, spec.realm());
            }
            Optional<Map<String, String>> current = current(spec, live, key, entry.getValue());
            if (current.isEmpty()) {
                upserts.add(new Change.Create(type(), key, created(spec, key, desired)));
                continue;
            }
            List<FieldChange> changes = FieldChange.diff(
                    owner.map(o -> with(current.get(), o.field())).orElse(current.get()), desired);
            if (takeoverNeedsAdoption() && owner.isPresent() && !owner.get().isThisTenant()) {
                upserts.add(new Change.Update(type(), key, changes, true));
            } else if (changes.isEmpty()) {
                unchanged++;
            } else {
                upserts.add(new Change.Update(type(), key, changes));
            }
        }
        List<Change> deletes = orphans(spec, live, wanted.keySet())
                .map(key -> (Change) new Change.Delete(type(), key)).toList();
        return new Diff(upserts, deletes, unchanged);
    }

    /** {@code fields} and, last, the marker field. */
    private static Map<String, String> with(Map<String, String> fields, String marker) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(Owner.FIELD, marker);
        return copy;
    }
}
