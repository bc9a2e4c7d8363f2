package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.RoleRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.RoleSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/** Realm roles. */
final class RoleReconciler implements Reconciler {

    @Override
    public ResourceType type() {
        return ResourceType.ROLE;
    }

    @Override
    public Diff plan(TenantSpec spec, LiveRealm live) {
        List<Change> upserts = new ArrayList<>();
        int unchanged = 0;
        for (RoleSpec role : spec.roles()) {
            Map<String, String> desired = new LinkedHashMap<>();
            desired.put("description", role.description());
            desired.put("managedBy", spec.realm());
            Optional<RoleRepresentation> current = live.role(role.name());
            if (current.isEmpty()) {
                upserts.add(new Change.Create(type(), role.name(), FieldChange.created(desired)));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("description", Fields.text(current.get().getDescription()));
            fields.put("managedBy", Ownership.ownedRole(current.get().getAttributes(), spec.realm()) ? spec.realm() : "");
            List<FieldChange> changes = FieldChange.diff(fields, desired);
            if (changes.isEmpty()) {
                unchanged++;
            } else {
                upserts.add(new Change.Update(type(), role.name(), changes));
            }
        }
        List<Change> deletes = live.roles().stream()
                .filter(r -> Ownership.ownedRole(r.getAttributes(), spec.realm()) && spec.role(r.getName()).isEmpty())
                .map(r -> (Change) new Change.Delete(type(), r.getName()))
                .toList();
        return new Diff(upserts, deletes, unchanged);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        switch (change) {
            case Change.Create c -> context.gateway().createRole(context.realm(), rep(spec, spec.role(c.name()).orElseThrow(), null));
            case Change.Update u -> {
                RoleRepresentation current = context.gateway().role(context.realm(), u.name());
                context.gateway().updateRole(context.realm(), u.name(), rep(spec, spec.role(u.name()).orElseThrow(), current));
            }
            case Change.Delete d -> context.gateway().deleteRole(context.realm(), d.name());
        }
    }

    private static RoleRepresentation rep(TenantSpec spec, RoleSpec role, RoleRepresentation current) {
        RoleRepresentation rep = current == null ? new RoleRepresentation() : current;
        rep.setName(role.name());
        rep.setDescription(role.description());
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        if (current != null && current.getAttributes() != null) {
            attributes.putAll(current.getAttributes());
        }
        attributes.put(Ownership.MANAGED_BY, List.of(spec.realm()));
        rep.setAttributes(attributes);
        return rep;
    }
}
