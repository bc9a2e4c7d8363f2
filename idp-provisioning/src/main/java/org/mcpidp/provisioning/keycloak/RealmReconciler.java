package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.RealmRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;

/** The realm itself: enabled, display name, access-token lifetime, ownership marker. */
final class RealmReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.REALM;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        return Map.of(spec.realm(), desired(spec));
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        return live.realm().map(realm -> {
            Map<String, String> current = new LinkedHashMap<>();
            current.put("enabled", Fields.bool(realm.isEnabled()));
            current.put("displayName", Fields.text(realm.getDisplayName()));
            current.put("accessTokenLifespan", realm.getAccessTokenLifespan() == null ? ""
                    : realm.getAccessTokenLifespan() + "s");
            return current;
        });
    }

    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String name) {
        return Optional.of(Ownership.ofRealm(live, spec.realm()));
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
                rep.setAttributes(Ownership.marker(spec.realm()));
                context.gateway().createRealm(rep);
            }
            case Change.Update u -> {
                rep.setAttributes(Ownership.withRealmMarker(context));
                context.gateway().updateRealm(spec.realm(), rep);
            }
            case Change.Delete d -> throw new IllegalStateException("realms are never deleted by a plan");
        }
    }

    private static Map<String, String> desired(TenantSpec spec) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("enabled", "true");
        desired.put("displayName", spec.displayName());
        desired.put("accessTokenLifespan", spec.accessTokenLifespan().toSeconds() + "s");
        return desired;
    }
}
