package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.mcpidp.http.WebUrls;

/**
 * A tenant's MCP servers ({@link ResourceSpec}): either {@code resource:} (one server, owning every scope) or
 * {@code servers:} (one or more, each naming the scopes it owns; every declared scope belongs to exactly one). URLs are
 * written in canonical form (lower-case host, no trailing slash), with a warning when the spec wrote another.
 */
final class ResourceBinder {

    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    /** An Entra application (client) id. */
    private static final Pattern APP_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ResourceBinder() {
    }

    /**
     * Empty when neither form is there, both are, or nothing could be read (reported); servers with errors in their
     * fields are returned.
     *
     * @param scopes the tenant's declared scopes, in spec order, and where each was declared
     */
    static List<ResourceSpec> bind(SpecReader in, TargetRules rules, Node.Mapping tenant, String path,
                                   List<String> scopes, Map<String, Node> declared) {
        Node.Entry single = tenant.entries().get("resource");
        Node.Entry several = tenant.entries().get("servers");
        if (single == null && several == null) {
            in.error(tenant, path, "missing required field 'resource' (one MCP server) or 'servers' (several)");
            return List.of();
        }
        if (single != null && several != null) {
            in.error(several.keyLine(), several.keyColumn(), path + ".servers", "write either 'resource' (one MCP "
                    + "server, owning every scope) or 'servers' (several, each listing its scopes), not both");
            return List.of();
        }
        if (single != null) {
            String p = path + ".resource";
            return in.mapping(single.value(), p).map(r -> List.of(server(in, rules, r, p, false).owning(scopes)))
                    .orElse(List.of());
        }
        String p = path + ".servers";
        List<Node> items = in.sequence(several.value(), p);
        if (items.isEmpty() && several.value() instanceof Node.Sequence) {
            in.error(several.value(), p, "at least one MCP server is required");
        }
        List<ResourceSpec> servers = new ArrayList<>();
        Map<String, String> urls = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        boolean allListScopes = true;
        for (int i = 0; i < items.size(); i++) {
            String sp = p + "[" + i + "]";
            Node.Mapping m = in.mapping(items.get(i), sp).orElse(null);
            if (m == null) {
                continue;
            }
            ResourceSpec server = server(in, rules, m, sp, true);
            if (server.url() != null) {
                String first = urls.putIfAbsent(server.url().toString(), sp);
                if (first != null) {
                    in.error(m.entries().get("url").value(), sp + ".url", "'" + server.url() + "' is already the URL "
                            + "of " + first + ": each MCP server needs its own resource URL");
                }
            }
            List<String> owned = in.references(m, "scopes", sp, declared.keySet(), "scope");
            if (m.entries().get("scopes") == null) {
                in.error(m, sp, "missing required field 'scopes' (the scopes this server owns)");
                allListScopes = false;
            }
            Node.Entry scopeEntry = m.entries().get("scopes");
            for (int j = 0; j < owned.size(); j++) {
                String other = owners.putIfAbsent(owned.get(j), server.clientId());
                if (other != null) {
                    Node at = scopeEntry.value() instanceof Node.Sequence s && j < s.items().size() ? s.items().get(j)
                            : scopeEntry.value();
                    in.error(at, sp + ".scopes[" + j + "]", "scope '" + owned.get(j) + "' already belongs to server '" + other
                            + "': a scope belongs to one server, or a token for one would be accepted by the other");
                }
            }
            servers.add(server.owning(owned));
        }
        for (int i = 0; i < scopes.size(); i++) {
            // Only once every server says what it owns: otherwise each scope would be reported again.
            if (!owners.containsKey(scopes.get(i)) && !servers.isEmpty() && allListScopes) {
                in.error(declared.get(scopes.get(i)), path + ".scopes[" + i + "]", "scope '" + scopes.get(i)
                        + "' belongs to no server: list it under the 'scopes' of one of 'servers'");
            }
        }
        rules.servers(servers.size()).ifPresent(why -> in.error(several.keyLine(), several.keyColumn(), p, why));
        return servers;
    }

    private static ResourceSpec server(SpecReader in, TargetRules rules, Node.Mapping r, String p, boolean withScopes) {
        Set<String> allowed = withScopes ? Set.of("url", "clientId", "secret", "scopes", "preAuthorizedClients")
                : Set.of("url", "clientId", "secret", "preAuthorizedClients");
        in.fields(r, p, allowed);
        URI url = canonical(in, r, p, in.url(r, "url", p, true));
        if (url != null) {
            rules.resourceUrl(url).ifPresent(why -> in.error(r.entries().get("url").value(), p + ".url", why));
        }
        String clientId = in.required(r, "clientId", p, CLIENT_ID, "a client id");
        SecretRef secret = in.secret(r, "secret", p, clientId, "_SECRET");
        List<String> preAuthorized = new ArrayList<>();
        in.each(r, "preAuthorizedClients", p, (item, ip) -> in.scalar(item, ip).ifPresent(id -> {
            if (!APP_ID.matcher(id).matches()) {
                in.error(item, ip, "'" + id + "' is not an application (client) id (a GUID such as "
                        + "aebc6443-996d-45c2-90f0-388ff96faa56)");
            } else if (preAuthorized.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                in.error(item, ip, "client '" + id + "' is listed twice");
            } else {
                preAuthorized.add(id.toLowerCase(java.util.Locale.ROOT));
            }
        }));
        return new ResourceSpec(url, clientId, secret, List.of(), preAuthorized);
    }

    /**
     * The resource URL as the kit writes it everywhere: RFC 8707 forbids a fragment and advises against a query;
     * clients, Keycloak's audience and Entra's Application ID URI compare it character by character, so a trailing
     * slash or an upper-case host written here is dropped, with a warning (the MCP server must publish the same form).
     */
    private static URI canonical(SpecReader in, Node.Mapping r, String p, URI url) {
        if (url == null) {
            return null;
        }
        Node at = r.entries().get("url").value();
        if (url.getRawQuery() != null) {
            in.error(at, p + ".url", "'" + url + "' has a query: a resource URL names the MCP endpoint only "
                    + "(RFC 8707 section 2)");
            return null;
        }
        URI canonical = WebUrls.canonicalResource(url);
        if (!canonical.equals(url)) {
            in.warn(at, p + ".url", "'" + url + "' is written as '" + canonical + "' (canonical resource URL: "
                    + "lower-case host, no trailing slash); configure the MCP server with the same value, since "
                    + "clients and IdPs compare it exactly (Entra answers AADSTS9010010 for a trailing slash)");
        }
        return canonical;
    }
}
