package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.List;

/**
 * One MCP server as a protected resource. A tenant has one ({@code resource:}) or several ({@code servers:}); each
 * scope belongs to exactly one server, so a token carries the audience of the one server whose scopes it holds.
 *
 * @param url                  its public URL in canonical form (lower-case host, no trailing slash; the loader
 *                             writes it so): tokens for it carry this value in {@code aud} (RFC 8707 / RFC 9728
 *                             "resource"), and on Entra it is the Application ID URI
 * @param clientId             the server's own confidential client, used to introspect tokens; also put into
 *                             {@code aud} because Keycloak 26.7 refuses introspection to a client that is not in the
 *                             token's audience
 * @param secret               where its client secret comes from / goes to
 * @param scopes               the names of the tenant's scopes this server owns, in spec order (with
 *                             {@code resource:}: every scope of the tenant)
 * @param preAuthorizedClients Entra only: application (client) ids of client apps, made elsewhere (e.g. Visual Studio
 *                             Code's), that may get this server's delegated scopes without a consent prompt
 *                             ({@code api.preAuthorizedApplications}); Keycloak has no such notion and ignores them
 */
public record ResourceSpec(URI url, String clientId, SecretRef secret, List<String> scopes,
                           List<String> preAuthorizedClients) {

    public ResourceSpec {
        scopes = List.copyOf(scopes);
        preAuthorizedClients = List.copyOf(preAuthorizedClients);
    }

    /** A server that owns no scopes yet and pre-authorizes no client (see {@link #owning}). */
    public ResourceSpec(URI url, String clientId, SecretRef secret) {
        this(url, clientId, secret, List.of(), List.of());
    }

    /** The same server owning {@code scopeNames}. */
    public ResourceSpec owning(List<String> scopeNames) {
        return new ResourceSpec(url, clientId, secret, scopeNames, preAuthorizedClients);
    }
}
