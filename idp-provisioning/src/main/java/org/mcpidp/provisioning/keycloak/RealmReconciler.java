package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.RealmRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
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
            current.put("managedBy", Fields.text(realm.getAttributes() == null ? null
                    : realm.getAttributes().get(Ownership.MANAGED_BY)));
            return current;
        });
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
