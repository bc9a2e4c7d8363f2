package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The client scopes of downstream APIs ({@link DownstreamScopes}): each API's audience scope and its scopes, with
 * their audience mapper and role scope mappings. Marked with {@link DownstreamScopes#MARKER}, so the MCP scopes'
 * reconciler leaves them alone and this one prunes only them.
 */
final class DownstreamScopeReconciler extends OwnedScopeReconciler {

    static final String MAPPER = "audience: downstream API";

    DownstreamScopeReconciler() {
        super(true);
    }

    /** Creates and updates of downstream scopes; deletes are ClientScopeReconciler's (the same admin call). */
    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && !(change instanceof Change.Delete)
                && DownstreamScopes.all(spec).containsKey(change.name());
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        DownstreamScopes.all(spec).forEach((name, scope) -> wanted.put(name, fields(scope)));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        return live.scope(name).map(scope -> {
            Map<String, String> attributes = scope.getAttributes() == null ? Map.of() : scope.getAttributes();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("description", Fields.text(scope.getDescription()));
            fields.put("includeInTokenScope", Fields.text(attributes.get("include.in.token.scope")));
            fields.put("audience", audience(scope));
            fields.put("roles", ScopeRoleMappings.field(spec, live, name));
            fields.put("downstream", Fields.text(attributes.get(DownstreamScopes.MARKER)));
            return fields;
        });
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        if (change instanceof Change.Delete d) {
            gateway.deleteClientScope(realm, context.scope(d.name()).getId(), d.name());
            return;
        }
        DownstreamScopes.Wanted scope = DownstreamScopes.all(spec).get(change.name());
        if (change instanceof Change.Create) {
            ClientScopeRepresentation rep = representation(spec, scope, Map.of());
            rep.setProtocolMappers(scope.audience().isEmpty() ? List.of() : List.of(mapper(scope.audience())));
            String id = gateway.createClientScope(realm, rep);
            ScopeRoleMappings.grant(context, id.isEmpty() ? context.scope(scope.name()).getId() : id, scope.roles(), List.of());
            return;
        }
        List<FieldChange> fields = ((Change.Update) change).fields();
        ClientScopeRepresentation rep = context.scope(scope.name());
        if (FieldChange.changed(fields, "description", "includeInTokenScope", "downstream", Owner.FIELD)) {
            ClientScopeRepresentation update = representation(spec, scope, rep.getAttributes());
            update.setId(rep.getId());
            gateway.updateClientScope(realm, rep.getId(), update);
        }
        if (FieldChange.changed(fields, "audience")) {
            ClientScopeReconciler.replaceAudienceMappers(context, rep,
                    scope.audience().isEmpty() ? List.of() : List.of(mapper(scope.audience())));
        }
        if (FieldChange.changed(fields, "roles")) {
            ScopeRoleMappings.sync(context, spec, rep.getId(), scope.roles());
        }
    }

    private static Map<String, String> fields(DownstreamScopes.Wanted scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("description", scope.description());
        fields.put("includeInTokenScope", Boolean.toString(scope.inTokenScope()));
        fields.put("audience", scope.audience().isEmpty() ? "" : "client:" + scope.audience());
        fields.put("roles", FieldChange.list(scope.roles()));
        fields.put("downstream", scope.api());
        return fields;
    }

    static ClientScopeRepresentation representation(TenantSpec spec, DownstreamScopes.Wanted scope,
                                                    Map<String, String> existing) {
        ClientScopeRepresentation rep = new ClientScopeRepresentation();
        rep.setName(scope.name());
        rep.setDescription(scope.description());
        rep.setProtocol("openid-connect");
        rep.setAttributes(attributes(spec, scope, existing));
        return rep;
    }

    static Map<String, String> attributes(TenantSpec spec, DownstreamScopes.Wanted scope, Map<String, String> existing) {
        Map<String, String> attributes = KeycloakGateway.mutable(existing);
        attributes.put("include.in.token.scope", Boolean.toString(scope.inTokenScope()));
        attributes.put("display.on.consent.screen", Boolean.toString(scope.inTokenScope()));
        attributes.put(DownstreamScopes.MARKER, scope.api());
        return Ownership.mark(attributes, spec.realm());
    }

    /** {@code aud} += the API's client id, in access tokens and introspection answers. */
    static ProtocolMapperRepresentation mapper(String clientId) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(MAPPER);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(ClientScopeReconciler.AUDIENCE_MAPPER);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("included.client.audience", clientId);
        config.put("access.token.claim", "true");
        config.put("introspection.token.claim", "true");
        config.put("id.token.claim", "false");
        mapper.setConfig(config);
        return mapper;
    }

    private static String audience(ClientScopeRepresentation scope) {
        List<String> audiences = new ArrayList<>();
        for (ProtocolMapperRepresentation mapper : KeycloakGateway.listOrEmpty(scope.getProtocolMappers())) {
            if (ClientScopeReconciler.AUDIENCE_MAPPER.equals(mapper.getProtocolMapper())) {
                Map<String, String> config = mapper.getConfig() == null ? Map.of() : mapper.getConfig();
                boolean inTokens = "true".equals(config.get("access.token.claim"))
                        && "true".equals(config.get("introspection.token.claim"));
                String value = "client:" + Fields.text(config.get("included.client.audience"));
                audiences.add(inTokens ? value : value + " (not in access token/introspection)");
            }
        }
        return FieldChange.list(audiences);
    }
}
