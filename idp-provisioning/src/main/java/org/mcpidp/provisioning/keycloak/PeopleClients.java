package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mcpidp.provisioning.spec.ClientProfile;
import org.mcpidp.provisioning.spec.PeopleSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * How Keycloak 26.7.3 lets in each client a tenant's people run ({@code people.clients}), and what a person enters.
 * The facts behind each choice were checked on the real server (docs/clients.md):
 * <ul>
 *   <li>a metadata document is accepted only when every host it names (client id, redirect URIs, client_uri,
 *   logo_uri) is a permitted domain of the {@code client-id-metadata-document} executor, so each such client gets a
 *   client policy of its own ({@link ProfilePolicyReconciler}) that permits exactly its hosts;</li>
 *   <li>claude.ai's document lists the jwt-bearer grant for a public client: refused whatever the settings
 *   ("JWT authorization grant cannot be enabled in a public client"; 26.8 adds an executor option for it,
 *   keycloak#50362), so Claude gets a pre-registered client;</li>
 *   <li>ChatGPT's document carries {@code token_endpoint_auth_methods_supported}, which 26.7.3 cannot parse
 *   ("Client Metadata fetch failed", keycloak#51039), so ChatGPT gets a pre-registered client;</li>
 *   <li>Cursor has no metadata document; the MCP Inspector registers itself (RFC 7591).</li>
 * </ul>
 */
final class PeopleClients {

    /** The scope whose refresh tokens outlive the sign-in (Keycloak offline sessions). */
    static final String OFFLINE_ACCESS = "offline_access";

    private PeopleClients() {
    }

    static List<ClientProfile> profiles(TenantSpec spec) {
        return spec.people().map(PeopleSpec::clients).orElse(List.of());
    }

    /** The profiles that come in with their metadata document (each needs its client policy, and the cimd feature). */
    static List<ClientProfile> metadataDocuments(TenantSpec spec) {
        return spec.people().map(p -> p.using(ClientProfile.Registration.METADATA_DOCUMENT)).orElse(List.of());
    }

    static List<ClientProfile> preRegistered(TenantSpec spec) {
        return spec.people().map(p -> p.using(ClientProfile.Registration.PRE_REGISTERED)).orElse(List.of());
    }

    /** Whether {@code clientId} is a client the kit pre-registers for a profile of this tenant. */
    static boolean isProfileClient(TenantSpec spec, String clientId) {
        return preRegistered(spec).stream().anyMatch(p -> p.clientId().orElseThrow().equals(clientId));
    }

    /** Whether the spec lets clients in through a metadata document (the registration section's or a profile's). */
    static boolean anyMetadataDocuments(TenantSpec spec) {
        return spec.registration().clientIdMetadataDocuments().isPresent() || !metadataDocuments(spec).isEmpty();
    }

    /**
     * Whether clients the spec does not declare may get {@code offline_access}: {@code people.offlineAccess} (which
     * follows {@code registration.dynamic.offlineAccess} when only that is given). Without a people section and
     * without metadata documents, Keycloak's own default (offered) stands.
     */
    static boolean offlineAccessOffered(TenantSpec spec) {
        if (spec.people().isPresent()) {
            return spec.people().get().offlineAccess();
        }
        if (spec.registration().dynamic().isPresent()) {
            return spec.registration().dynamic().get().offlineAccess();
        }
        return !spec.registration().clientIdMetadataDocuments().isPresent();
    }

    /**
     * What a person does in each client, and why the kit registers it the way it does; printed with plan and apply.
     */
    static List<String> notes(TenantSpec spec) {
        List<String> notes = new ArrayList<>();
        for (ClientProfile client : profiles(spec)) {
            notes.add(client.specName() + ": " + switch (client) {
                case CLAUDE_CODE -> "signs in with its Client ID Metadata Document (" + client.documents().get(0)
                        + "); nothing to enter. Keycloak must fetch that document: it needs --features=cimd and a way "
                        + "out to claude.ai.";
                case VSCODE -> "signs in with its Client ID Metadata Document (" + client.documents().get(0) + "); "
                        + "nothing to enter. Keycloak 26.7.3 matches its redirect exactly: VS Code must get port 33418 "
                        + "(a second window on a random port is refused).";
                case CURSOR -> "pre-registered as client 'cursor' (Cursor publishes no metadata document): put "
                        + "\"auth\": {\"CLIENT_ID\": \"cursor\"} in the server's entry of mcp.json.";
                case CLAUDE -> "pre-registered as client 'claude': Keycloak 26.7.3 refuses claude.ai's metadata document "
                        + "whatever the settings (it lists the jwt-bearer grant for a public client: \"JWT authorization "
                        + "grant cannot be enabled in a public client\", keycloak#50362, an option in 26.8). Enter "
                        + "'claude' as OAuth Client ID under Advanced settings of the custom connector; Claude connects "
                        + "from Anthropic's cloud, so the MCP server and Keycloak must be reachable from the internet.";
                case CHATGPT -> "pre-registered as client 'chatgpt': Keycloak 26.7.3 refuses ChatGPT's metadata "
                        + "document whatever the settings (it cannot read its token_endpoint_auth_methods_supported "
                        + "member: \"Client Metadata fetch failed\", keycloak#51039). Enter 'chatgpt' as the connector's "
                        + "OAuth client id; ChatGPT connects from OpenAI's cloud, so the MCP server and Keycloak must be "
                        + "reachable from the internet.";
                case MCP_INSPECTOR -> "registers itself (RFC 7591 dynamic registration, loopback redirects only); "
                        + "nothing to enter.";
            });
        }
        return notes;
    }

    /** The profile a pre-registered client id belongs to. */
    static Optional<ClientProfile> profileOf(TenantSpec spec, String clientId) {
        return preRegistered(spec).stream().filter(p -> p.clientId().orElseThrow().equals(clientId)).findFirst();
    }
}
