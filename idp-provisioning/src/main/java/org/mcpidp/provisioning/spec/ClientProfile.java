package org.mcpidp.provisioning.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An MCP client people run, as its makers publish it: how it identifies itself to an authorization server and where
 * it wants the browser sent back. A tenant names the ones its people use ({@code people.clients}) and the target makes
 * each work on the first try. Every fact here comes from the client's own documentation or its published Client ID
 * Metadata Document; docs/clients.md gives the source of each, and what was tested against which copy.
 *
 * @param specName       the name a spec writes
 * @param title          what people call it
 * @param registration   how the kit lets it in
 * @param documents      its published Client ID Metadata Document URLs (its client ids when it uses one)
 * @param documentHosts  every host its document names (client id, redirect URIs, client_uri, logo_uri): an
 *                       authorization server that checks them all must permit each
 * @param clientId       the client id of the pre-registered client people enter in the client; empty unless
 *                       {@link Registration#PRE_REGISTERED}
 * @param redirectUris   where the client sends the browser back, as the kit registers them
 * @param homePageHosts  hosts of the home page ({@code client_uri}) a self-registering client sends: registration
 *                       must accept it there, never as a redirect target
 */
public enum ClientProfile {

    /** Claude Code (CLI): its own metadata document; loopback callback on a port of its choosing. */
    CLAUDE_CODE("claude-code", "Claude Code", Registration.METADATA_DOCUMENT,
            List.of("https://claude.ai/oauth/claude-code-client-metadata"),
            List.of("claude.ai", "localhost", "127.0.0.1"), "",
            List.of("http://localhost/callback", "http://127.0.0.1/callback"), List.of()),

    /** Visual Studio Code (GitHub Copilot chat): its metadata document on vscode.dev, loopback port 33418. */
    VSCODE("vscode", "Visual Studio Code", Registration.METADATA_DOCUMENT,
            List.of("https://vscode.dev/oauth/client-metadata.json", "https://insiders.vscode.dev/oauth/client-metadata.json"),
            List.of("vscode.dev", "insiders.vscode.dev", "code.visualstudio.com", "127.0.0.1"), "",
            List.of("http://127.0.0.1:33418/", "https://vscode.dev/redirect", "https://insiders.vscode.dev/redirect"),
            List.of()),

    /** Cursor (desktop): no metadata document; a client id entered in its mcp.json, callback on localhost:8787. */
    CURSOR("cursor", "Cursor", Registration.PRE_REGISTERED, List.of(), List.of(), "cursor",
            List.of("http://localhost:8787/callback", "cursor://anysphere.cursor-mcp/oauth/callback"), List.of()),

    /**
     * Claude on claude.ai, Claude Desktop and the mobile apps (custom connectors, run from Anthropic's cloud): its
     * metadata document lists the jwt-bearer grant as a public client, so the kit pre-registers it.
     */
    CLAUDE("claude", "Claude (claude.ai, Claude Desktop, mobile)", Registration.PRE_REGISTERED,
            List.of("https://claude.ai/oauth/mcp-oauth-client-metadata"), List.of("claude.ai"), "claude",
            List.of("https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback"), List.of()),

    /**
     * ChatGPT connectors and apps (run from OpenAI's cloud): its metadata document carries a member Keycloak 26.7.3
     * cannot read, so the kit pre-registers it.
     */
    CHATGPT("chatgpt", "ChatGPT", Registration.PRE_REGISTERED,
            List.of("https://chatgpt.com/oauth/client.json"), List.of("chatgpt.com"), "chatgpt",
            List.of("https://chatgpt.com/connector_platform_oauth_redirect"), List.of()),

    /**
     * The MCP Inspector: registers itself (RFC 7591) with a loopback redirect on port 6274, and with
     * {@code client_uri: https://github.com/modelcontextprotocol/inspector} (seen in 2.12.0's registration).
     */
    MCP_INSPECTOR("mcp-inspector", "MCP Inspector", Registration.DYNAMIC, List.of(), List.of(), "",
            List.of("http://localhost:6274/oauth/callback", "http://localhost:6274/oauth/callback/debug"),
            List.of("github.com"));

    /** How a client gets in. */
    public enum Registration {
        /** The client's URL is its client id (OAuth Client ID Metadata Document): nothing is created per client. */
        METADATA_DOCUMENT,
        /** A client made for it in advance, whose id people enter in the client. */
        PRE_REGISTERED,
        /** RFC 7591 anonymous dynamic registration: the client registers itself. */
        DYNAMIC
    }

    private final String specName;
    private final String title;
    private final Registration registration;
    private final List<String> documents;
    private final List<String> documentHosts;
    private final String clientId;
    private final List<String> redirectUris;
    private final List<String> homePageHosts;

    ClientProfile(String specName, String title, Registration registration, List<String> documents,
                  List<String> documentHosts, String clientId, List<String> redirectUris, List<String> homePageHosts) {
        this.specName = specName;
        this.title = title;
        this.registration = registration;
        this.documents = documents;
        this.documentHosts = documentHosts;
        this.clientId = clientId;
        this.redirectUris = redirectUris;
        this.homePageHosts = homePageHosts;
    }

    public String specName() {
        return specName;
    }

    public String title() {
        return title;
    }

    public Registration registration() {
        return registration;
    }

    public List<String> documents() {
        return documents;
    }

    public List<String> documentHosts() {
        return documentHosts;
    }

    /** The pre-registered client's id; empty when the client is not pre-registered. */
    public Optional<String> clientId() {
        return clientId.isEmpty() ? Optional.empty() : Optional.of(clientId);
    }

    public List<String> redirectUris() {
        return redirectUris;
    }

    /** Hosts its home page ({@code client_uri}) is on, when it registers itself; empty otherwise. */
    public List<String> homePageHosts() {
        return homePageHosts;
    }

    /** The hosts its client ids (document URLs) are on. */
    public List<String> documentDomains() {
        return documents.stream().map(url -> java.net.URI.create(url).getHost()).distinct().toList();
    }

    public static Optional<ClientProfile> named(String specName) {
        return Arrays.stream(values()).filter(p -> p.specName.equals(specName)).findFirst();
    }

    /** Every name a spec may write, sorted, for error messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(ClientProfile::specName).sorted().collect(Collectors.joining(", "));
    }
}
