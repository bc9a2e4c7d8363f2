package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.List;

/**
 * An OAuth client of the MCP server.
 *
 * @param scopes       declared scope names it may request (optional client scopes in Keycloak)
 * @param roles        realm roles of an agent's service account; always empty for interactive clients
 * @param redirectUris only for interactive clients
 * @param secret       only for agents (confidential); interactive clients are public and have none
 */
public record ClientSpec(String clientId, Type type, String description, List<String> scopes, List<String> roles,
                         List<URI> redirectUris, SecretRef secret) {

    public ClientSpec {
        scopes = List.copyOf(scopes);
        roles = List.copyOf(roles);
        redirectUris = List.copyOf(redirectUris);
    }

    public enum Type {
        /** A machine: confidential, client_credentials only. */
        AGENT,
        /** A person behind a browser or desktop app: public, authorization code + PKCE S256. */
        INTERACTIVE
    }
}
