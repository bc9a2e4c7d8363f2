package org.mcpidp.provisioning.spec;

import java.util.List;
import java.util.Optional;

/**
 * How clients that are not in the spec may register themselves (Keycloak only). Off unless the spec asks for it:
 * both parts empty is Keycloak's default, where anonymous registration is shut.
 *
 * @param dynamic                   RFC 7591 anonymous dynamic client registration
 * @param clientIdMetadataDocuments OAuth Client ID Metadata Documents: EXPERIMENTAL in Keycloak 26.7.3, needs
 *                                  {@code kc.sh --features=cimd} on the server
 */
public record RegistrationSpec(Optional<Dynamic> dynamic, Optional<ClientIdMetadataDocuments> clientIdMetadataDocuments) {

    public static RegistrationSpec none() {
        return new RegistrationSpec(Optional.empty(), Optional.empty());
    }

    /**
     * @param trustedHosts  hosts a registered client's URIs must be on (Keycloak's Trusted Hosts policy: redirect URIs,
     *                      root, admin and base URL); loopback by default
     * @param maxClients    Keycloak's "Max Clients Limit" (counted over all clients of the realm)
     * @param offlineAccess whether a registered client may get {@code offline_access} (refresh tokens that outlive the
     *                      user's session); off by default: Keycloak's realm default optional scopes include it, so
     *                      every client registered without {@code scope} would get it
     * @param homePageHosts hosts a registered client's home page ({@code client_uri}) may be on besides the trusted
     *                      hosts, never a redirect target (e.g. {@code github.com} for the MCP Inspector); none by
     *                      default
     */
    public record Dynamic(List<String> trustedHosts, int maxClients, boolean offlineAccess, List<String> homePageHosts) {
        public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1");
        public static final int DEFAULT_MAX_CLIENTS = 200;

        public Dynamic {
            trustedHosts = List.copyOf(trustedHosts);
            homePageHosts = List.copyOf(homePageHosts);
        }

        /** Registration without home pages elsewhere. */
        public Dynamic(List<String> trustedHosts, int maxClients, boolean offlineAccess) {
            this(trustedHosts, maxClients, offlineAccess, List.of());
        }

        /** Registration without {@code offline_access} and without home pages elsewhere. */
        public Dynamic(List<String> trustedHosts, int maxClients) {
            this(trustedHosts, maxClients, false);
        }
    }

    /** @param allowedDomains hosts (Keycloak wildcard patterns such as {@code *.example.org}) a client id URL may be on */
    public record ClientIdMetadataDocuments(List<String> allowedDomains) {
        public ClientIdMetadataDocuments {
            allowedDomains = List.copyOf(allowedDomains);
        }
    }
}
