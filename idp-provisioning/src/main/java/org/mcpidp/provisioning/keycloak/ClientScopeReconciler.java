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
import org.mcpidp.provisioning.spec.ResourceSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * One client scope per spec scope. It appears in the token's {@code scope} claim and carries two audience mappers for
 * the MCP server that owns the scope: its resource URL (what the server checks) and its client id (without it
 * Keycloak 26.7 answers the server's introspection with {@code active:false}, and with resource indicators on it is
 * how Keycloak finds the server's {@code resource_url}). A token therefore names exactly the servers whose scopes it
 * holds; with several servers a client policy keeps that to one ({@link OneServerPolicyReconciler}).
 *
 * <p>Also per scope: its role scope mappings (the spec's {@code roles}; Keycloak leaves the scope out of a token whose
 * user or service account holds none of them, {@code DefaultClientSessionContext.isClientScopePermittedForUser}), only
 * over roles this tool manages; a username mapper ({@code preferred_username}), because a client that registered
 * itself WITH {@code scope} gets only the {@code basic} default scope in Keycloak 26.7.3 (no {@code profile}), and
 * the server must still be able to name the person; and whether it is a realm default optional scope, which is what
 * a client registering WITHOUT {@code scope}, or through a Client ID Metadata Document, receives (only while
 * self-registration is on).
 */
final class ClientScopeReconciler extends OwnedScopeReconciler {

    static final String AUDIENCE_MAPPER = "oidc-audience-mapper";
    static final String RESOURCE_MAPPER = "audience: resource";
    static final String SERVER_MAPPER = "audience: introspecting server";
    static final String USERNAME_MAPPER = "username";
    static final String ATTRIBUTE_MAPPER = "oidc-usermodel-attribute-mapper";
    static final String USERNAME_CLAIM = "preferred_username";

    ClientScopeReconciler() {
        super(false);
    }

    /** MCP scopes, and every client scope delete (a downstream scope is deleted the same way). */
    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && (change instanceof Change.Delete || spec.scope(change.name()).isPresent());
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        spec.scopes().forEach(scope -> wanted.put(scope.name(), desired(spec, scope)));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        return live.scope(name).map(scope -> {
            Map<String, String> fields = fields(scope);
            fields.put("roles", ScopeRoleMappings.field(spec, live, name));
            fields.put("realmDefault", live.defaultOptionalScopes().contains(name) ? "optional" : "");
            return fields;
        });
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        switch (change) {
            case Change.Create c -> {
                ScopeSpec scope = spec.scope(c.name()).orElseThrow();
                ClientScopeRepresentation rep = new ClientScopeRepresentation();
                rep.setName(scope.name());
                rep.setDescription(scope.description());
                rep.setProtocol("openid-connect");
                rep.setAttributes(attributes(spec, scope, Map.of()));
                rep.setProtocolMappers(mappers(spec, scope));
                String id = context.gateway().createClientScope(realm, rep);
                String scopeId = id.isEmpty() ? context.scope(scope.name()).getId() : id;
                ScopeRoleMappings.grant(context, scopeId, scope.roles(), List.of());
                if (realmDefault(spec)) {
                    context.gateway().addDefaultOptionalScope(realm, scopeId);
                }
            }
            case Change.Update u -> {
                ScopeSpec scope = spec.scope(u.name()).orElseThrow();
                ClientScopeRepresentation rep = context.scope(scope.name());
                if (FieldChange.changed(u.fields(), "description", "includeInTokenScope", Owner.FIELD)) {
                    rep.setDescription(scope.description());
                    rep.setAttributes(attributes(spec, scope, rep.getAttributes()));
                    List<ProtocolMapperRepresentation> keep = rep.getProtocolMappers();
                    rep.setProtocolMappers(null);
                    context.gateway().updateClientScope(realm, rep.getId(), rep);
                    rep.setProtocolMappers(keep);
                }
                if (FieldChange.changed(u.fields(), "audience")) {
                    replaceAudienceMappers(context, rep, mappers(spec, scope).stream()
                            .filter(m -> AUDIENCE_MAPPER.equals(m.getProtocolMapper())).toList());
                }
                if (FieldChange.changed(u.fields(), "usernameClaim")) {
                    for (ProtocolMapperRepresentation mapper : listOrEmpty(rep.getProtocolMappers())) {
                        if (USERNAME_MAPPER.equals(mapper.getName())) {
                            context.gateway().deleteScopeMapper(realm, rep.getId(), mapper.getId());
                        }
                    }
                    context.gateway().createScopeMapper(realm, rep.getId(), usernameMapper());
                }
                if (FieldChange.changed(u.fields(), "roles")) {
                    ScopeRoleMappings.sync(context, spec, rep.getId(), scope.roles());
                }
                if (FieldChange.changed(u.fields(), "realmDefault")) {
                    if (realmDefault(spec)) {
                        context.gateway().addDefaultOptionalScope(realm, rep.getId());
                    } else {
                        context.gateway().removeDefaultOptionalScope(realm, rep.getId());
                    }
                }
            }
            case Change.Delete d -> context.gateway().deleteClientScope(realm, context.scope(d.name()).getId(), d.name());
        }
    }

    private static Map<String, String> desired(TenantSpec spec, ScopeSpec scope) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("description", scope.description());
        desired.put("includeInTokenScope", "true");
        ResourceSpec server = server(spec, scope);
        desired.put("audience", FieldChange.list(List.of(audience("custom", server.url().toString()),
                audience("client", server.clientId()))));
        desired.put("usernameClaim", USERNAME_CLAIM);
        desired.put("roles", FieldChange.list(scope.roles()));
        desired.put("realmDefault", realmDefault(spec) ? "optional" : "");
        return desired;
    }

    /**
     * MCP scopes are realm default optional scopes exactly while clients may register themselves: a client registered
     * without {@code scope}, and every Client ID Metadata Document client (seen on 26.7.3: it may request only the
     * realm's default and default optional scopes, anything else is "Invalid scopes"), gets only those.
     */
    static boolean realmDefault(TenantSpec spec) {
        return spec.registration().dynamic().isPresent() || PeopleClients.anyMetadataDocuments(spec);
    }

    /** Deletes the scope's audience mappers and creates {@code audiences} in their place. */
    static void replaceAudienceMappers(ApplyContext context, ClientScopeRepresentation scope,
                                       List<ProtocolMapperRepresentation> audiences) {
        for (ProtocolMapperRepresentation mapper : listOrEmpty(scope.getProtocolMappers())) {
            if (AUDIENCE_MAPPER.equals(mapper.getProtocolMapper())) {
                context.gateway().deleteScopeMapper(context.realm(), scope.getId(), mapper.getId());
            }
        }
        audiences.forEach(mapper -> context.gateway().createScopeMapper(context.realm(), scope.getId(), mapper));
    }

    private static Map<String, String> fields(ClientScopeRepresentation scope) {
        Map<String, String> attributes = scope.getAttributes() == null ? Map.of() : scope.getAttributes();
        List<String> audiences = new ArrayList<>();
        for (ProtocolMapperRepresentation mapper : listOrEmpty(scope.getProtocolMappers())) {
            if (!AUDIENCE_MAPPER.equals(mapper.getProtocolMapper())) {
                continue;
            }
            Map<String, String> config = mapper.getConfig() == null ? Map.of() : mapper.getConfig();
            // Keycloak lets the client audience win when both are set on one mapper, so that is what we show.
            String client = config.get("included.client.audience");
            String value = client != null && !client.isEmpty()
                    ? audience("client", client) : audience("custom", Fields.text(config.get("included.custom.audience")));
            boolean inTokens = "true".equals(config.get("access.token.claim")) && "true".equals(config.get("introspection.token.claim"));
            audiences.add(inTokens ? value : value + " (not in access token/introspection)");
        }
        String username = listOrEmpty(scope.getProtocolMappers()).stream()
                .filter(m -> USERNAME_MAPPER.equals(m.getName()) && ATTRIBUTE_MAPPER.equals(m.getProtocolMapper()))
                .map(m -> m.getConfig() == null ? Map.<String, String>of() : m.getConfig())
                .filter(c -> "username".equals(c.get("user.attribute")) && "true".equals(c.get("access.token.claim"))
                        && "true".equals(c.get("introspection.token.claim")))
                .map(c -> Fields.text(c.get("claim.name")))
                .findFirst().orElse("");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("description", Fields.text(scope.getDescription()));
        fields.put("includeInTokenScope", Fields.text(attributes.get("include.in.token.scope")));
        fields.put("audience", FieldChange.list(audiences));
        fields.put("usernameClaim", username);
        return fields;
    }

    private static String audience(String kind, String value) {
        return kind + ":" + value;
    }

    static Map<String, String> attributes(TenantSpec spec, ScopeSpec scope, Map<String, String> existing) {
        Map<String, String> attributes = KeycloakGateway.mutable(existing);
        attributes.put("include.in.token.scope", "true");
        attributes.putIfAbsent("display.on.consent.screen", "true");
        return Ownership.mark(attributes, spec.realm());
    }

    /** The scope's mappers: its server's URL and client id into {@code aud}, the username into the token. */
    static List<ProtocolMapperRepresentation> mappers(TenantSpec spec, ScopeSpec scope) {
        ResourceSpec server = server(spec, scope);
        return List.of(
                mapper(RESOURCE_MAPPER, "included.custom.audience", server.url().toString()),
                mapper(SERVER_MAPPER, "included.client.audience", server.clientId()),
                usernameMapper());
    }

    /** The server that owns {@code scope} (the loader lets no scope go without one). */
    private static ResourceSpec server(TenantSpec spec, ScopeSpec scope) {
        return spec.serverOf(scope.name()).orElseThrow(() -> new IllegalStateException("scope " + scope.name()
                + " belongs to no MCP server of tenant " + spec.realm()));
    }

    /** User attribute {@code username} -> {@code preferred_username} in access tokens and introspection answers. */
    static ProtocolMapperRepresentation usernameMapper() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(USERNAME_MAPPER);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(ATTRIBUTE_MAPPER);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("user.attribute", "username");
        config.put("claim.name", USERNAME_CLAIM);
        config.put("jsonType.label", "String");
        config.put("access.token.claim", "true");
        config.put("introspection.token.claim", "true");
        config.put("id.token.claim", "false");
        config.put("userinfo.token.claim", "false");
        mapper.setConfig(config);
        return mapper;
    }

    private static ProtocolMapperRepresentation mapper(String name, String key, String audience) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(AUDIENCE_MAPPER);
        Map<String, String> config = new LinkedHashMap<>();
        config.put(key, audience);
        config.put("access.token.claim", "true");
        config.put("introspection.token.claim", "true");
        config.put("id.token.claim", "false");
        mapper.setConfig(config);
        return mapper;
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return KeycloakGateway.listOrEmpty(list);
    }
}
