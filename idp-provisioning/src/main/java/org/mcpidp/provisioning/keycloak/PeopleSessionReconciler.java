package org.mcpidp.provisioning.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.PeopleSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * What a person's sign-in keeps, as one object ({@value #NAME}): the realm's SSO Session Idle and Max (when
 * {@code people} sets them), and {@code offline_access}, Keycloak's refresh tokens that outlive the sign-in.
 *
 * <p>Keycloak offers {@code offline_access} to every new client (a realm default optional scope) and advertises it in
 * discovery ({@code scopes_supported}). Unless {@code people.offlineAccess} says so, clients the spec does not declare
 * get neither: it is taken out of the realm's default optional scopes (a metadata-document client gets exactly those;
 * with dynamic registration {@link RegistrationPolicyReconciler} does this part) and out of discovery. The second
 * matters as much: Claude Code and the MCP SDKs add {@code offline_access} to their request when the authorization
 * server advertises it, and Keycloak answers a request naming a scope the client may not have with
 * {@code invalid_scope}: the person could not sign in at all (both seen on 26.7.3).
 *
 * <p>Managed while the spec has a {@code people} section or lets clients in by dynamic registration or metadata
 * document (a person signs in through those too: the MCP Inspector registers itself, and is refused if it asks for an
 * advertised {@code offline_access}). The realm attribute {@value #MARKER} says this tool set it; a spec without any
 * of them then offers and advertises {@code offline_access} again (Keycloak's defaults) and leaves the session
 * lifetimes as they are.
 */
final class PeopleSessionReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    static final String NAME = "sessions";
    static final String MARKER = "mcpidp.people-sessions";
    /** Client scope attribute: whether discovery lists the scope in {@code scopes_supported}. */
    static final String IN_DISCOVERY = "include.in.openid.provider.metadata";

    @Override
    public ResourceType type() {
        return ResourceType.SESSION_POLICY;
    }

    static boolean wanted(TenantSpec spec) {
        return spec.people().isPresent() || spec.registration().dynamic().isPresent()
                || spec.registration().clientIdMetadataDocuments().isPresent();
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        return wanted(spec) ? Map.of(NAME, desired(spec)) : Map.of();
    }

    static Map<String, String> desired(TenantSpec spec) {
        boolean offered = PeopleClients.offlineAccessOffered(spec);
        Map<String, String> desired = new LinkedHashMap<>();
        spec.people().flatMap(PeopleSpec::sessionIdle).ifPresent(d -> desired.put("ssoSessionIdle", d.toSeconds() + "s"));
        spec.people().flatMap(PeopleSpec::sessionMax).ifPresent(d -> desired.put("ssoSessionMax", d.toSeconds() + "s"));
        if (spec.registration().dynamic().isEmpty()) {
            desired.put("offlineAccessOffered", Boolean.toString(offered));
        }
        desired.put("offlineAccessInDiscovery", Boolean.toString(offered));
        return desired;
    }

    /** Every field, "false" ones too: withholding offline_access is the point of the object. */
    @Override
    protected java.util.List<org.mcpidp.provisioning.FieldChange> created(TenantSpec spec, String key,
                                                                            Map<String, String> desired) {
        return desired.entrySet().stream()
                .map(e -> new org.mcpidp.provisioning.FieldChange(e.getKey(), "", e.getValue())).toList();
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String key,
                                                    Map<String, String> desired) {
        if (!ours(spec, live)) {
            return Optional.empty();
        }
        RealmRepresentation realm = live.realm().orElseThrow();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ssoSessionIdle", realm.getSsoSessionIdleTimeout() == null ? "" : realm.getSsoSessionIdleTimeout() + "s");
        fields.put("ssoSessionMax", realm.getSsoSessionMaxLifespan() == null ? "" : realm.getSsoSessionMaxLifespan() + "s");
        fields.put("offlineAccessOffered", Boolean.toString(live.defaultOptionalScopes().contains(PeopleClients.OFFLINE_ACCESS)));
        fields.put("offlineAccessInDiscovery", Boolean.toString(live.scope(PeopleClients.OFFLINE_ACCESS)
                .map(PeopleSessionReconciler::inDiscovery).orElse(false)));
        return Optional.of(fields);
    }

    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String key) {
        return Optional.of(Ownership.ofSetting(live, MARKER, spec.realm()));
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return ours(spec, live) ? Stream.of(NAME) : Stream.empty();
    }

    private boolean ours(TenantSpec spec, LiveRealm live) {
        return owner(spec, live, NAME).orElseThrow().isThisTenant();
    }

    /** Keycloak lists a scope in discovery unless the attribute says false. */
    static boolean inDiscovery(ClientScopeRepresentation scope) {
        return scope.getAttributes() == null || !"false".equals(scope.getAttributes().get(IN_DISCOVERY));
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        if (change instanceof Change.Delete) {
            if (spec.registration().dynamic().isEmpty()) {
                offered(context, true);
            }
            advertised(context, true);
            Ownership.markSetting(context, MARKER, false);
            return;
        }
        // The marker first: an apply stopped half way leaves settings this tool knows it made.
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(realm);
        rep.setAttributes(Ownership.withSetting(context, MARKER, true));
        spec.people().flatMap(PeopleSpec::sessionIdle).ifPresent(d -> rep.setSsoSessionIdleTimeout((int) d.toSeconds()));
        spec.people().flatMap(PeopleSpec::sessionMax).ifPresent(d -> rep.setSsoSessionMaxLifespan((int) d.toSeconds()));
        gateway.updateRealm(realm, rep);
        boolean offered = PeopleClients.offlineAccessOffered(spec);
        if (spec.registration().dynamic().isEmpty()) {
            offered(context, offered);
        }
        advertised(context, offered);
    }

    /** Makes {@code offline_access} a realm default optional scope, or not; writes nothing when it already is (not). */
    private static void offered(ApplyContext context, boolean wanted) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        boolean is = gateway.defaultOptionalScopes(realm).stream().anyMatch(s -> PeopleClients.OFFLINE_ACCESS.equals(s.getName()));
        if (is == wanted) {
            return;
        }
        offlineAccessScope(context).ifPresent(scope -> {
            if (wanted) {
                gateway.addDefaultOptionalScope(realm, scope.getId());
            } else {
                gateway.removeDefaultOptionalScope(realm, scope.getId());
            }
        });
    }

    /** Lists {@code offline_access} in discovery, or not; writes nothing when it already is (not). */
    private static void advertised(ApplyContext context, boolean wanted) {
        offlineAccessScope(context).filter(scope -> inDiscovery(scope) != wanted).ifPresent(scope -> {
            Map<String, String> attributes = KeycloakGateway.mutable(scope.getAttributes());
            attributes.put(IN_DISCOVERY, Boolean.toString(wanted));
            scope.setAttributes(attributes);
            // Mappers have their own endpoints; keep the scope update from touching them.
            scope.setProtocolMappers(null);
            context.gateway().updateClientScope(context.realm(), scope.getId(), scope);
        });
    }

    /** Keycloak's built-in scope; a realm imported without it has nothing to offer or withhold. */
    private static Optional<ClientScopeRepresentation> offlineAccessScope(ApplyContext context) {
        return context.gateway().clientScopes(context.realm()).stream()
                .filter(s -> PeopleClients.OFFLINE_ACCESS.equals(s.getName())).findFirst();
    }
}
