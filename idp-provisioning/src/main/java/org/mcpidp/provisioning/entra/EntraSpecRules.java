package org.mcpidp.provisioning.entra;

import java.util.Optional;
import org.mcpidp.provisioning.spec.TargetRules;

/**
 * What Microsoft Entra ID cannot hold, checked with the spec before any Graph call: an MCP server URL that cannot be an
 * Application ID URI (not https), several MCP servers in one spec
 * (the Entra target provisions one API app registration per spec), and self-registering clients, which Entra does not
 * offer at all: it has neither RFC 7591 dynamic client registration nor OAuth Client ID Metadata Documents, so every
 * client a person runs needs an app registration (its own, or one pre-authorized by its client id).
 */
public final class EntraSpecRules implements TargetRules {

    public static final EntraSpecRules INSTANCE = new EntraSpecRules();

    private EntraSpecRules() {
    }

    /**
     * The server's URL becomes the API's Application ID URI ({@code identifierUris}), which Entra accepts only as
     * {@code api://...} or as {@code https://} on a verified domain of the tenant (or a subdomain of one). An http URL
     * can never be one; whether the host is verified only Graph knows (it answers {@code HostNameNotOnVerifiedDomain}).
     */
    @Override
    public Optional<String> resourceUrl(java.net.URI url) {
        return "https".equals(url.getScheme()) ? Optional.empty() : Optional.of("'" + url + "' cannot be an Entra "
                + "Application ID URI: Entra accepts https URLs on a verified domain of the tenant (or its subdomain) and "
                + "api:// URIs only; serve the MCP server at https://<verified domain>/... and give that URL");
    }

    @Override
    public Optional<String> servers(int count) {
        return count > 1 ? Optional.of("the Entra target provisions one MCP server (one API app registration) per "
                + "tenant spec; write one tenant per server (Entra issues every token for exactly one resource anyway)")
                : Optional.empty();
    }

    @Override
    public Optional<String> ignoredRegistration(String field) {
        String what = field.equals("dynamic") ? "dynamic client registration (RFC 7591)"
                : "OAuth Client ID Metadata Documents";
        return Optional.of("ignored on Entra ID, which has no " + what + " (nor the other kind of self-registration): "
                + "a client a person runs needs an app registration; list it under clients, or pre-authorize a client "
                + "made elsewhere with the server's preAuthorizedClients (its application id)");
    }
}
