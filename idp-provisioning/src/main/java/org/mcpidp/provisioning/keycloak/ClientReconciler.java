package org.mcpidp.provisioning.keycloak;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Clients. Optional client scopes are compared only over the scopes this tool manages, so Keycloak's own optional
 * scopes (address, phone, offline_access, ...) that every new client gets are neither shown nor removed.
 */
final class ClientReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.CLIENT;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        DesiredClient.all(spec, live.scheme(spec)).forEach(client -> wanted.put(client.clientId(), client.fields()));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String clientId,
                                                    Map<String, String> desired) {
        Set<String> managed = managedScopes(spec, live);
        if (PeopleClients.isProfileClient(spec, clientId)) {
            managed.add(PeopleClients.OFFLINE_ACCESS);
        }
        return live.client(clientId).map(client -> fields(client, managed, downstreamScopes(live.scopes())));
    }

    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String clientId) {
        return Optional.of(Ownership.ofClient(live, clientId, spec.realm()));
    }

    /** A client with the spec's client id that lacks our marker is someone else's: taken over only when adopted. */
    @Override
    protected boolean takeoverNeedsAdoption() {
        return true;
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return live.clients().stream().filter(c -> Ownership.owned(c.getAttributes(), spec.realm()))
                .map(ClientRepresentation::getClientId);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        if (change instanceof Change.Delete) {
            context.gateway().deleteClient(realm, context.client(change.name()).getId(), change.name());
            return;
        }
        DesiredClient desired = DesiredClient.all(spec, context.scheme()).stream()
                .filter(c -> c.clientId().equals(change.name())).findFirst().orElseThrow();
        List<ClientScopeRepresentation> scopes = context.gateway().clientScopes(realm);
        Map<String, String> scopeIds = new HashMap<>();
        scopes.forEach(s -> scopeIds.put(s.getName(), s.getId()));
        Set<String> liveOptional = new HashSet<>();
        String uuid;
        if (change instanceof Change.Create) {
            ClientRepresentation rep = new ClientRepresentation();
            rep.setClientId(desired.clientId());
            rep.setProtocol("openid-connect");
            desired.secret().flatMap(s -> s.value()).ifPresent(rep::setSecret);
            apply(rep, desired, realm);
            uuid = context.gateway().createClient(realm, rep);
            // Keycloak gives a new client the realm's default optional scopes, which include the MCP scopes while
            // dynamic registration is on: read what it got, so that the loop below removes those not in the spec.
            List<String> given = context.gateway().client(realm, uuid).getOptionalClientScopes();
            if (given != null) {
                liveOptional.addAll(given);
            }
        } else {
            ClientRepresentation rep = context.client(desired.clientId());
            uuid = rep.getId();
            if (rep.getOptionalClientScopes() != null) {
                liveOptional.addAll(rep.getOptionalClientScopes());
            }
            List<FieldChange> fields = ((Change.Update) change).fields();
            if (fields.stream().anyMatch(f -> !f.field().equals("optionalScopes") && !f.field().equals("defaultScopes"))) {
                apply(rep, desired, realm);
                // Scope links have their own endpoints; keep the client update from touching them.
                rep.setDefaultClientScopes(null);
                rep.setOptionalClientScopes(null);
                context.gateway().updateClient(realm, uuid, rep);
            }
        }
        Set<String> managed = new HashSet<>(desired.optionalScopes());
        spec.scopes().stream().map(ScopeSpec::name).forEach(managed::add);
        if (PeopleClients.isProfileClient(spec, desired.clientId())) {
            // Keycloak gives every new client offline_access; a profile client keeps it only when people may.
            managed.add(PeopleClients.OFFLINE_ACCESS);
        }
        scopes.stream().filter(s -> Ownership.owned(s.getAttributes(), realm)).forEach(s -> managed.add(s.getName()));
        for (String scope : desired.optionalScopes()) {
            if (!liveOptional.contains(scope)) {
                context.gateway().addOptionalScope(realm, uuid, scopeIds.get(scope));
            }
        }
        for (String scope : liveOptional) {
            if (managed.contains(scope) && !desired.optionalScopes().contains(scope)) {
                context.gateway().removeOptionalScope(realm, uuid, scopeIds.get(scope));
            }
        }
        linkDefaultScopes(context, uuid, desired, scopes, scopeIds);
    }

    /** Default scope links, over downstream scopes only (Keycloak's own defaults and the MCP scopes are left alone). */
    private static void linkDefaultScopes(ApplyContext context, String uuid, DesiredClient desired,
                                          List<ClientScopeRepresentation> scopes, Map<String, String> scopeIds) {
        String realm = context.realm();
        Set<String> downstream = downstreamScopes(scopes);
        List<String> given = context.gateway().client(realm, uuid).getDefaultClientScopes();
        Set<String> live = new HashSet<>(given == null ? List.of() : given);
        for (String scope : desired.defaultScopes()) {
            if (!live.contains(scope)) {
                context.gateway().addDefaultScope(realm, uuid, scopeIds.get(scope));
            }
        }
        for (String scope : live) {
            if (downstream.contains(scope) && !desired.defaultScopes().contains(scope)) {
                context.gateway().removeDefaultScope(realm, uuid, scopeIds.get(scope));
            }
        }
    }

    private static Set<String> downstreamScopes(List<ClientScopeRepresentation> scopes) {
        Set<String> names = new HashSet<>();
        scopes.stream().filter(s -> s.getAttributes() != null && s.getAttributes().containsKey(DownstreamScopes.MARKER))
                .forEach(s -> names.add(s.getName()));
        return names;
    }

    private static void apply(ClientRepresentation rep, DesiredClient desired, String realm) {
        rep.setDescription(desired.description());
        rep.setEnabled(true);
        rep.setPublicClient(desired.publicClient());
        rep.setClientAuthenticatorType("client-secret");
        rep.setStandardFlowEnabled(desired.standardFlow());
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setServiceAccountsEnabled(desired.serviceAccounts());
        rep.setFullScopeAllowed(false);
        rep.setRedirectUris(desired.redirectUris());
        rep.setWebOrigins(desired.webOrigins());
        Map<String, String> attributes = KeycloakGateway.mutable(rep.getAttributes());
        if (desired.pkce()) {
            attributes.put(DesiredClient.PKCE_ATTRIBUTE, "S256");
        } else {
            attributes.remove(DesiredClient.PKCE_ATTRIBUTE);
            if (rep.getAttributes() != null && rep.getAttributes().containsKey(DesiredClient.PKCE_ATTRIBUTE)) {
                attributes.put(DesiredClient.PKCE_ATTRIBUTE, ""); // an update only removes a value by emptying it
            }
        }
        if (desired.tokenExchange()) {
            attributes.put(DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE, "true");
        } else if (attributes.containsKey(DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE)) {
            attributes.put(DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE, "false");
        }
        // Resource indicators' settings; when the scheme goes back to audience mappers they are emptied (an update
        // only removes a value by emptying it).
        if (!desired.resourceUrl().isEmpty()) {
            attributes.put(AudienceScheme.RESOURCE_URL_ATTRIBUTE, desired.resourceUrl());
        } else if (attributes.containsKey(AudienceScheme.RESOURCE_URL_ATTRIBUTE)) {
            attributes.put(AudienceScheme.RESOURCE_URL_ATTRIBUTE, "");
        }
        flag(attributes, AudienceScheme.INTROSPECTION_ATTRIBUTE, desired.introspectAnyAudience());
        flag(attributes, AudienceScheme.CLIENT_CREDENTIALS_REFRESH_ATTRIBUTE, desired.clientCredentialsRefreshToken());
        rep.setAttributes(Ownership.mark(attributes, realm));
    }

    /** {@code true} when wanted; {@code false} over a live value that is not wanted; untouched when absent. */
    private static void flag(Map<String, String> attributes, String name, boolean wanted) {
        if (wanted) {
            attributes.put(name, "true");
        } else if (attributes.containsKey(name)) {
            attributes.put(name, "false");
        }
    }

    private static Map<String, String> fields(ClientRepresentation client, Set<String> managedScopes,
                                              Set<String> downstream) {
        Map<String, String> attributes = client.getAttributes() == null ? Map.of() : client.getAttributes();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("description", Fields.text(client.getDescription()));
        fields.put("enabled", Fields.bool(client.isEnabled()));
        fields.put("publicClient", Fields.bool(client.isPublicClient()));
        fields.put("standardFlowEnabled", Fields.bool(client.isStandardFlowEnabled()));
        fields.put("implicitFlowEnabled", Fields.bool(client.isImplicitFlowEnabled()));
        fields.put("directAccessGrantsEnabled", Fields.bool(client.isDirectAccessGrantsEnabled()));
        fields.put("serviceAccountsEnabled", Fields.bool(client.isServiceAccountsEnabled()));
        fields.put("fullScopeAllowed", Fields.bool(client.isFullScopeAllowed()));
        fields.put("redirectUris", FieldChange.list(client.getRedirectUris() == null ? List.of() : client.getRedirectUris()));
        fields.put("webOrigins", FieldChange.list(client.getWebOrigins() == null ? List.of() : client.getWebOrigins()));
        fields.put("pkce", Fields.text(attributes.get(DesiredClient.PKCE_ATTRIBUTE)));
        fields.put("optionalScopes", FieldChange.list(client.getOptionalClientScopes() == null ? List.of()
                : client.getOptionalClientScopes().stream().filter(managedScopes::contains).toList()));
        fields.put("defaultScopes", FieldChange.list(client.getDefaultClientScopes() == null ? List.of()
                : client.getDefaultClientScopes().stream().filter(downstream::contains).sorted().toList()));
        fields.put("tokenExchange", "true".equals(attributes.get(DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE)) ? "true" : "");
        fields.put("resourceUrl", Fields.text(attributes.get(AudienceScheme.RESOURCE_URL_ATTRIBUTE)));
        fields.put("introspectAnyAudience", "true".equals(attributes.get(AudienceScheme.INTROSPECTION_ATTRIBUTE)) ? "true" : "");
        fields.put("clientCredentialsRefreshToken",
                "true".equals(attributes.get(AudienceScheme.CLIENT_CREDENTIALS_REFRESH_ATTRIBUTE)) ? "true" : "");
        return fields;
    }

    private static Set<String> managedScopes(TenantSpec spec, LiveRealm live) {
        Set<String> managed = new HashSet<>();
        spec.scopes().forEach(s -> managed.add(s.name()));
        live.scopes().stream().filter(s -> Ownership.owned(s.getAttributes(), spec.realm())).forEach(s -> managed.add(s.getName()));
        return managed;
    }
}
