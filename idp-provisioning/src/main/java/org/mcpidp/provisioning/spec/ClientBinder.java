package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's {@code clients}: {@link ClientSpec}s. Agents (client credentials) have roles and a secret, no redirect
 * URIs; interactive clients (PKCE, public) have redirect URIs, no roles and no secret.
 */
final class ClientBinder {

    private static final Pattern TYPE = Pattern.compile("agent|interactive");

    private ClientBinder() {
    }

    /** @param clientIds client ids taken so far in the tenant (the resource's); each new one is added */
    static List<ClientSpec> bind(SpecReader in, Node.Mapping tenant, String path, Set<String> clientIds,
                                 Set<String> scopeNames, Set<String> roleNames) {
        List<ClientSpec> clients = new ArrayList<>();
        in.each(tenant, "clients", path, (item, p) -> {
            Node.Mapping c = in.mapping(item, p).orElse(null);
            if (c != null) {
                clients.add(client(in, c, p, clientIds, scopeNames, roleNames));
            }
        });
        return clients;
    }

    private static ClientSpec client(SpecReader in, Node.Mapping c, String p, Set<String> clientIds,
                                     Set<String> scopeNames, Set<String> roleNames) {
        in.fields(c, p, Set.of("clientId", "type", "description", "scopes", "roles", "redirectUris", "secret"));
        String clientId = in.required(c, "clientId", p, ResourceBinder.CLIENT_ID, "a client id");
        if (clientId != null && !clientIds.add(clientId)) {
            in.error(c.entries().get("clientId").value(), p + ".clientId", "duplicate client '" + clientId + "'");
        }
        String typeText = in.required(c, "type", p, TYPE, "'agent' or 'interactive'");
        ClientSpec.Type type = "interactive".equals(typeText) ? ClientSpec.Type.INTERACTIVE : ClientSpec.Type.AGENT;
        List<String> scopes = in.references(c, "scopes", p, scopeNames, "scope");
        List<String> roles = in.references(c, "roles", p, roleNames, "role");
        List<URI> redirects = new ArrayList<>();
        in.each(c, "redirectUris", p, (u, up) -> {
            URI redirect = in.url(u, up, true);
            if (redirect != null) {
                redirects.add(redirect);
            }
        });
        SecretRef secret = null;
        if (type == ClientSpec.Type.INTERACTIVE) {
            if (redirects.isEmpty() && !(c.entries().get("redirectUris") != null
                    && c.entries().get("redirectUris").value() instanceof Node.Sequence s && !s.items().isEmpty())) {
                in.error(c, p + ".redirectUris", "an interactive client needs at least one redirect URI");
            }
            in.reject(c, "roles", p, "an interactive client acts for its user and has no roles of its own");
            in.reject(c, "secret", p, "an interactive client is public (PKCE) and has no secret");
        } else {
            in.reject(c, "redirectUris", p, "an agent uses client_credentials and has no redirect URIs");
            secret = in.secret(c, "secret", p, clientId, "_SECRET");
        }
        return new ClientSpec(clientId, type, in.optional(c, "description", p).orElse(""), scopes, roles, redirects,
                secret);
    }
}
