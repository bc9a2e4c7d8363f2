package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.representations.idm.RealmRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.TenantSpec;

/** The realm itself: enabled, display name, access-token lifetime, ownership marker. */
final class RealmReconciler implements Reconciler {

    @Override
    public ResourceType type() {
        return ResourceType.REALM;
    }

    @Override
    public Diff plan(TenantSpec spec, LiveRealm live) {
        Map<String, String> desired = desired(spec);
        if (live.realm().isEmpty()) {
            return new Diff(List.of(new Change.Create(type(), spec.realm(), FieldChange.created(desired))), List.of(), 0);
        }
        RealmRepresentation realm = live.realm().get();
        Map<String, String> current = new LinkedHashMap<>();
        current.put("enabled", Fields.bool(realm.isEnabled()));
        current.put("displayName", Fields.text(realm.getDisplayName()));
        current.put("accessTokenLifespan", realm.getAccessTokenLifespan() == null ? "" : realm.getAccessTokenLifespan() + "s");
        current.put("managedBy", Fields.text(realm.getAttributes() == null ? null : realm.getAttributes().get(Ownership.MANAGED_BY)));
        List<FieldChange> changes = FieldChange.diff(current, desired);
        return changes.isEmpty()
                ? new Diff(List.of(), List.of(), 1)
                : new Diff(List.of(new Change.Update(type(), spec.realm(), changes)), List.of(), 0);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(spec.realm());
        rep.setEnabled(true);
        rep.setDisplayName(spec.displayName().isEmpty() ? null : spec.displayName());
        rep.setAccessTokenLifespan((int) spec.accessTokenLifespan().toSeconds());
        switch (change) {
            case Change.Create c -> {
                rep.setAttributes(Map.of(Ownership.MANAGED_BY, spec.realm()));
                context.gateway().createRealm(rep);
            }
            case Change.Update u -> {
                // A realm update replaces the whole attribute map: send back what is there plus our marker.
                rep.setAttributes(withAttribute(context, Ownership.MANAGED_BY, spec.realm()));
                context.gateway().updateRealm(spec.realm(), rep);
            }
            case Change.Delete d -> throw new IllegalStateException("realms are never deleted by a plan");
        }
    }

    static Map<String, String> withAttribute(ApplyContext context, String key, String value) {
        Map<String, String> attributes = KeycloakGateway.mutable(
                context.gateway().realm(context.realm()).orElseThrow().getAttributes());
        attributes.put(key, value);
        return attributes;
    }

    private static Map<String, String> desired(TenantSpec spec) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("enabled", "true");
        desired.put("displayName", spec.displayName());
        desired.put("accessTokenLifespan", spec.accessTokenLifespan().toSeconds() + "s");
        desired.put("managedBy", spec.realm());
        return desired;
    }
}
