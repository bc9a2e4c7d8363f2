package org.mcpidp.provisioning.spec;

import java.util.List;
import java.util.Optional;

/**
 * An API of the company's own that MCP tools call as their caller, with a token made for it (RFC 8693 token exchange
 * on Keycloak, On-Behalf-Of on Entra), never the MCP token. Keycloak: a confidential client without flows (the API's
 * audience) and one client scope per downstream scope; the MCP server's client may exchange for them.
 *
 * @param clientId    the API's client id: the {@code aud} of the tokens it accepts
 * @param description for people
 * @param url         where the API listens (documentation; empty when not given)
 * @param scopes      what a token for the API may grant, each obtainable only by holders of its {@code from} scopes
 */
public record DownstreamSpec(String clientId, String description, String url, List<DownstreamScopeSpec> scopes) {

    public DownstreamSpec {
        scopes = List.copyOf(scopes);
    }

    public Optional<DownstreamScopeSpec> scope(String name) {
        return scopes.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
