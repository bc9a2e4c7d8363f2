package org.mcpidp.provisioning.spec;

import java.net.URI;

/**
 * The MCP server as a protected resource.
 *
 * @param url      its public URL; tokens for it carry this value in {@code aud} (RFC 8707 / RFC 9728 "resource")
 * @param clientId the server's own confidential client, used to introspect tokens; also put into {@code aud}
 *                 because Keycloak 26.7 refuses introspection to a client that is not in the token's audience
 * @param secret   where its client secret comes from / goes to
 */
public record ResourceSpec(URI url, String clientId, SecretRef secret) {
}
