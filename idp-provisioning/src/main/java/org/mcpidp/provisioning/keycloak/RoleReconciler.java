package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.RoleRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.RoleSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Realm roles. A role's {@code includes} are granted explicitly to each holder ({@link RoleMappingReconciler}), never
 * made a Keycloak composite: Keycloak expands a client scope's mapped roles through composites before it compares them
 * with the user's roles (seen on 26.7.3), so a scope mapped to a composite {@code admin} that includes {@code reader}
 * is given to every reader. For the same reason a spec role that someone made composite by hand loses its realm-role
 * composites on the next apply (the plan shows them).
 */
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
            desired.put("composites", "");
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
            fields.put("composites", FieldChange.list(live.roleComposites().getOrDefault(name, List.of())));
            return fields;
        });
    }

    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String name) {
        return Optional.of(Ownership.ofRole(live, name, spec.realm()));
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
                if (FieldChange.changed(u.fields(), "description", Owner.FIELD)) {
                    RoleRepresentation current = context.gateway().role(context.realm(), u.name());
                    context.gateway().updateRole(context.realm(), u.name(), rep(spec, spec.role(u.name()).orElseThrow(), current));
                }
                if (FieldChange.changed(u.fields(), "composites")) {
                    List<RoleRepresentation> composites = context.gateway().realmRoleComposites(context.realm(), u.name());
                    if (!composites.isEmpty()) {
                        context.gateway().removeRealmRoleComposites(context.realm(), u.name(), composites);
                    }
                }
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
        attributes.putAll(Ownership.roleMarker(spec.realm()));
        rep.setAttributes(attributes);
        return rep;
    }
}
