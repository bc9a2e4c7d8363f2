package org.mcpidp.provisioning.entra;

import java.util.Optional;
import org.mcpidp.provisioning.spec.TargetRules;

/**
 * What Microsoft Entra ID cannot hold, checked with the spec before any Graph call: several MCP servers in one spec
 * (the Entra target provisions one API app registration per spec), and self-registering clients, which Entra does not
 * offer at all: it has neither RFC 7591 dynamic client registration nor OAuth Client ID Metadata Documents, so every
 * client a person runs needs an app registration (its own, or one pre-authorized by its client id).
 */
public final class EntraSpecRules implements TargetRules {

    public static final EntraSpecRules INSTANCE = new EntraSpecRules();

    private EntraSpecRules() {
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
