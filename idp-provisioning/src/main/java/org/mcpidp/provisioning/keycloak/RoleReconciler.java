package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.RoleRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.RoleSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/** Realm roles. */
final class RoleReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.ROLE;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (RoleSpec role : spec.roles()) {
            Map<String, String> desired = new LinkedHashMap<>();
            desired.put("description", role.description());
            desired.put("managedBy", spec.realm());
            wanted.put(role.name(), desired);
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        return live.role(name).map(role -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("description", Fields.text(role.getDescription()));
            fields.put("managedBy", Ownership.ownedRole(role.getAttributes(), spec.realm()) ? spec.realm() : "");
            return fields;
        });
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return live.roles().stream().filter(r -> Ownership.ownedRole(r.getAttributes(), spec.realm()))
                .map(RoleRepresentation::getName);
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
