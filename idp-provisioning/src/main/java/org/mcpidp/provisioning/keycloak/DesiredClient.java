package org.mcpidp.provisioning.keycloak;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.ClientProfile;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.ResourceSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.SecretRef;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * A client as Keycloak should hold it, derived from the spec: each MCP server's own client plus one per spec client.
 * Shared by apply and export so that an imported realm and an applied realm are the same.
 *
 * @param resourceUrl                   the server URL Keycloak's resource indicators match {@code resource} against
 *                                      (attribute {@code resource_url}); empty unless {@link AudienceScheme#RESOURCE_INDICATORS}
 * @param introspectAnyAudience         a server client that may introspect tokens whose {@code aud} resource
 *                                      indicators narrowed to the URL alone (its verifier checks the audience)
 * @param clientCredentialsRefreshToken an agent that gets a refresh token with client credentials: Keycloak 26.7.3
 *                                      answers such a request that names a {@code resource} with HTTP 500 otherwise
 */
record DesiredClient(String clientId, String description, boolean publicClient, boolean standardFlow,
                     boolean serviceAccounts, List<String> redirectUris, List<String> webOrigins, boolean pkce,
                     List<String> optionalScopes, Optional<SecretRef> secret, List<String> defaultScopes,
                     boolean tokenExchange, String resourceUrl, boolean introspectAnyAudience,
                     boolean clientCredentialsRefreshToken) {

    static final String PKCE_ATTRIBUTE = "pkce.code.challenge.method";
    /** Keycloak's standard token exchange (RFC 8693, "V2") for this client as the requester. */
    static final String TOKEN_EXCHANGE_ATTRIBUTE = "standard.token.exchange.enabled";

    static List<DesiredClient> all(TenantSpec spec, AudienceScheme scheme) {
        boolean indicators = scheme == AudienceScheme.RESOURCE_INDICATORS;
        List<DesiredClient> all = new java.util.ArrayList<>();
        for (ResourceSpec server : spec.servers()) {
            // No flows of its own: it only authenticates to introspect the tokens it receives. With downstream APIs
            // fed by its scopes it also exchanges its callers' tokens for tokens made for those APIs (RFC 8693).
            List<String> audiences = DownstreamScopes.audienceNames(spec, server);
            boolean exchanges = !audiences.isEmpty();
            all.add(new DesiredClient(server.clientId(), "MCP server " + server.url()
                    + (exchanges ? " (introspection, token exchange)" : " (introspection)"),
                    false, false, false, List.of(), List.of(), false, DownstreamScopes.scopeNames(spec, server),
                    Optional.of(server.secret()), audiences, exchanges, indicators ? server.url().toString() : "",
                    indicators, false));
        }
        for (ClientSpec client : spec.clients()) {
            boolean interactive = client.type() == ClientSpec.Type.INTERACTIVE;
            all.add(new DesiredClient(client.clientId(), client.description(), interactive, interactive, !interactive,
                    client.redirectUris().stream().map(URI::toString).sorted().toList(),
                    // "+" = the origins of the redirect URIs: a browser app calls the token endpoint cross-origin.
                    interactive ? List.of("+") : List.of(), interactive,
                    client.scopes().stream().sorted().toList(), Optional.ofNullable(client.secret()),
                    DownstreamScopes.defaultsFor(spec, client), false, "", false, indicators && !interactive));
        }
        for (ClientProfile profile : PeopleClients.preRegistered(spec)) {
            // A public client made in advance for a client people run (people.clients): PKCE, the client's own
            // redirect URIs, every MCP scope (each still gated by its roles), offline_access only when people may keep it.
            List<String> optional = new java.util.ArrayList<>(spec.scopes().stream().map(ScopeSpec::name).sorted().toList());
            if (PeopleClients.offlineAccessOffered(spec)) {
                optional.add(PeopleClients.OFFLINE_ACCESS);
            }
            all.add(new DesiredClient(profile.clientId().orElseThrow(), profile.title() + " (people.clients: "
                    + profile.specName() + ")", true, true, false, profile.redirectUris().stream().sorted().toList(),
                    List.of("+"), true, optional, Optional.empty(), List.of(), false, "", false, false));
        }
        for (DownstreamSpec api : spec.downstream()) {
            // The API's audience: no flows, never given a token of its own; confidential so it may introspect.
            all.add(new DesiredClient(api.clientId(), api.description().isEmpty() ? "Downstream API " + api.url()
                    : api.description(), false, false, false, List.of(), List.of(), false, List.of(), Optional.empty(),
                    List.of(), false, "", false, false));
        }
        return all;
    }

    /** The managed fields (the ownership marker's field is added by the keyed diff). */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("description", description);
        fields.put("enabled", "true");
        fields.put("publicClient", Boolean.toString(publicClient));
        fields.put("standardFlowEnabled", Boolean.toString(standardFlow));
        fields.put("implicitFlowEnabled", "false");
        fields.put("directAccessGrantsEnabled", "false");
        fields.put("serviceAccountsEnabled", Boolean.toString(serviceAccounts));
        // A token carries only the roles its scopes map (Keycloak's default puts every role of the user in each one).
        fields.put("fullScopeAllowed", "false");
        fields.put("redirectUris", FieldChange.list(redirectUris));
        fields.put("webOrigins", FieldChange.list(webOrigins));
        fields.put("pkce", pkce ? "S256" : "");
        fields.put("optionalScopes", FieldChange.list(optionalScopes));
        fields.put("defaultScopes", FieldChange.list(defaultScopes));
        fields.put("tokenExchange", tokenExchange ? "true" : "");
        fields.put("resourceUrl", resourceUrl);
        fields.put("introspectAnyAudience", introspectAnyAudience ? "true" : "");
        fields.put("clientCredentialsRefreshToken", clientCredentialsRefreshToken ? "true" : "");
        return fields;
    }
}
