package org.mcpidp.provisioning.entra;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * An app registration the spec asks for: the MCP server's API (from {@code resource}), one client, or one downstream
 * API (from {@code downstream}: an API the MCP server calls On-Behalf-Of its callers).
 *
 * <p>Interactive clients' http(s) redirect URIs go to the {@code spa} platform: authorization code + PKCE redeemed
 * from a browser (a CORS request), which is what the MCP Inspector does. Other schemes (native apps, RFC 8252) would go
 * to {@code publicClient}; the spec accepts only http(s) today, and a native app that redeems a loopback redirect
 * without a browser needs {@code publicClient}, which the spec cannot express yet (see docs/entra.md).
 */
record DesiredApp(String clientId, Kind kind, String description, List<String> publicClientRedirectUris,
                  List<String> spaRedirectUris, ClientSpec client) {

    enum Kind { API, AGENT, INTERACTIVE, DOWNSTREAM }

    static List<DesiredApp> all(TenantSpec spec) {
        List<DesiredApp> apps = new ArrayList<>();
        apps.add(api(spec));
        spec.clients().forEach(c -> apps.add(client(c)));
        spec.downstream().forEach(d -> apps.add(new DesiredApp(d.clientId(), Kind.DOWNSTREAM, d.description(),
                List.of(), List.of(), null)));
        return apps;
    }

    static DesiredApp api(TenantSpec spec) {
        return new DesiredApp(spec.resource().clientId(), Kind.API, "MCP server " + spec.resource().url(),
                List.of(), List.of(), null);
    }

    static DesiredApp client(ClientSpec client) {
        List<String> native_ = new ArrayList<>();
        List<String> spa = new ArrayList<>();
        for (URI uri : client.redirectUris()) {
            ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? spa : native_).add(uri.toString());
        }
        return new DesiredApp(client.clientId(),
                client.type() == ClientSpec.Type.AGENT ? Kind.AGENT : Kind.INTERACTIVE, client.description(),
                native_, spa, client);
    }

    String uniqueName(String realm) {
        return EntraNames.uniqueName(realm, clientId);
    }
}
