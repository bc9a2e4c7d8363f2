package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the located tree into records, checking everything on the way and collecting every error. References
 * (a client's scopes, a user's roles) are checked against the declarations of the same tenant wherever in the file
 * those were written.
 */
final class SpecBinder {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern SECRET_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    // RFC 6749 section 3.3 scope-token characters.
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    // Keycloak stores user names lower-case; an upper-case name would never compare equal again.
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,99}");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern WILDCARD_HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smh]?)");
    /** Keycloak's own client scopes: a spec scope with one of these names would collide with them. */
    private static final Set<String> BUILT_IN_SCOPES = Set.of("openid", "profile", "email", "roles", "web-origins",
            "acr", "basic", "address", "phone", "offline_access", "microprofile-jwt", "organization", "service_account");
    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");

    private final String file;
    private final Map<String, String> env;
    private final List<SpecError> errors;
    private final List<SpecError> warnings;
    /** Secret variable name -> where it was first used; two secrets sharing one variable would overwrite each other. */
    private final Map<String, String> secretNames = new HashMap<>();

    SpecBinder(String file, Map<String, String> env, List<SpecError> errors, List<SpecError> warnings) {
        this.file = file;
        this.env = env;
        this.errors = errors;
        this.warnings = warnings;
    }

    List<TenantSpec> bind(Node root) {
        List<TenantSpec> tenants = new ArrayList<>();
        Optional<Node.Mapping> top = mapping(root, "");
        if (top.isEmpty()) {
            return tenants;
        }
        fields(top.get(), "", Set.of("tenants"));
        Node.Entry entry = top.get().entries().get("tenants");
        if (entry == null) {
            error(root, "", "missing required field 'tenants'");
            return tenants;
        }
        List<Node> items = sequence(entry.value(), "tenants");
        if (items.isEmpty() && entry.value() instanceof Node.Sequence) {
            error(entry.value(), "tenants", "at least one tenant is required");
        }
        Map<String, Node> realms = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "tenants[" + i + "]";
            Node item = items.get(i);
            tenant(item, path).ifPresent(t -> {
                Node at = ((Node.Mapping) item).entries().get("realm").value();
                if (realms.putIfAbsent(t.realm().toLowerCase(Locale.ROOT), at) != null) {
                    error(at, path + ".realm", "duplicate realm '" + t.realm() + "'");
                }
                tenants.add(t);
            });
        }
        return tenants;
    }

    private Optional<TenantSpec> tenant(Node node, String path) {
        Optional<Node.Mapping> found = mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Node.Mapping m = found.get();
        int before = errors.size();
        fields(m, path, Set.of("realm", "displayName", "accessTokenLifespan", "resource", "scopes", "roles", "clients", "users",
                "registration"));
        String realm = required(m, "realm", path, REALM, "a realm name (letters, digits, '.', '_', '-')");
        if ("master".equalsIgnoreCase(realm)) {
            error(m.entries().get("realm").value(), path + ".realm", "the master realm cannot be a tenant");
        }
        String displayName = optional(m, "displayName", path).orElse("");
        Duration lifespan = optional(m, "accessTokenLifespan", path).map(v -> duration(v, m, path)).orElse(Duration.ofMinutes(5));

        // Roles first: scopes refer to them, wherever in the file they were written.
        List<RoleSpec> roles = new ArrayList<>();
        Set<String> roleNames = new HashSet<>();
        each(m, "roles", path, (item, p) -> {
            Node.Mapping r = mapping(item, p).orElse(null);
            if (r == null) {
                return null;
            }
            fields(r, p, Set.of("name", "description"));
            String name = required(r, "name", p, ROLE, "a role name (letters, digits, '.', '_', ':', '-')");
            if (name != null && (BUILT_IN_ROLES.contains(name) || name.startsWith("default-roles-"))) {
                error(r.entries().get("name").value(), p + ".name", "'" + name + "' is one of Keycloak's built-in roles");
            } else if (name != null && !roleNames.add(name)) {
                error(r.entries().get("name").value(), p + ".name", "duplicate role '" + name + "'");
            }
            roles.add(new RoleSpec(name, optional(r, "description", p).orElse("")));
            return null;
        });

        List<ScopeSpec> scopes = new ArrayList<>();
        Map<String, Node> scopeNames = new HashMap<>();
        Map<String, Node.Mapping> scopeNodes = new HashMap<>();
        each(m, "scopes", path, (item, p) -> {
            Node.Mapping s = mapping(item, p).orElse(null);
            if (s == null) {
                return null;
            }
            fields(s, p, Set.of("name", "description", "roles"));
            String name = required(s, "name", p, SCOPE, "an OAuth scope token (no spaces, quotes or backslashes)");
            if (name != null && BUILT_IN_SCOPES.contains(name)) {
                error(s.entries().get("name").value(), p + ".name", "'" + name + "' is one of Keycloak's built-in scopes");
            } else if (name != null && scopeNames.putIfAbsent(name, item) != null) {
                error(s.entries().get("name").value(), p + ".name", "duplicate scope '" + name + "'");
            }
            scopes.add(new ScopeSpec(name, optional(s, "description", p).orElse(""), references(s, "roles", p, roleNames, "role")));
            scopeNodes.put(name, s);
            return null;
        });

        Set<String> clientIds = new HashSet<>();
        ResourceSpec resource = null;
        Node.Entry resourceEntry = m.entries().get("resource");
        if (resourceEntry == null) {
            error(m, path, "missing required field 'resource'");
        } else {
            String p = path + ".resource";
            Node.Mapping r = mapping(resourceEntry.value(), p).orElse(null);
            if (r != null) {
                fields(r, p, Set.of("url", "clientId", "secret"));
                URI url = url(r, "url", p, true);
                String clientId = required(r, "clientId", p, CLIENT_ID, "a client id");
                if (clientId != null) {
                    clientIds.add(clientId);
                }
                resource = new ResourceSpec(url, clientId, secret(r, "secret", p, clientId, "_SECRET"));
            }
        }

        List<ClientSpec> clients = new ArrayList<>();
        each(m, "clients", path, (item, p) -> {
            Node.Mapping c = mapping(item, p).orElse(null);
            if (c == null) {
                return null;
            }
            fields(c, p, Set.of("clientId", "type", "description", "scopes", "roles", "redirectUris", "secret"));
            String clientId = required(c, "clientId", p, CLIENT_ID, "a client id");
            if (clientId != null && !clientIds.add(clientId)) {
                error(c.entries().get("clientId").value(), p + ".clientId", "duplicate client '" + clientId + "'");
            }
            String typeText = required(c, "type", p, Pattern.compile("agent|interactive"), "'agent' or 'interactive'");
            ClientSpec.Type type = "interactive".equals(typeText) ? ClientSpec.Type.INTERACTIVE : ClientSpec.Type.AGENT;
            List<String> clientScopes = references(c, "scopes", p, scopeNames.keySet(), "scope");
            List<String> clientRoles = references(c, "roles", p, roleNames, "role");
            List<URI> redirects = new ArrayList<>();
            each(c, "redirectUris", p, (u, up) -> {
                URI redirect = url(u, up, true);
                if (redirect != null) {
                    redirects.add(redirect);
                }
                return null;
            });
            SecretRef secret = null;
            if (type == ClientSpec.Type.INTERACTIVE) {
                if (redirects.isEmpty() && !(c.entries().get("redirectUris") != null
                        && c.entries().get("redirectUris").value() instanceof Node.Sequence s && !s.items().isEmpty())) {
                    error(c, p + ".redirectUris", "an interactive client needs at least one redirect URI");
                }
                reject(c, "roles", p, "an interactive client acts for its user and has no roles of its own");
                reject(c, "secret", p, "an interactive client is public (PKCE) and has no secret");
            } else {
                reject(c, "redirectUris", p, "an agent uses client_credentials and has no redirect URIs");
                secret = secret(c, "secret", p, clientId, "_SECRET");
            }
            clients.add(new ClientSpec(clientId, type, optional(c, "description", p).orElse(""), clientScopes,
                    clientRoles, redirects, secret));
            return null;
        });

        List<UserSpec> users = new ArrayList<>();
        Set<String> usernames = new HashSet<>();
        each(m, "users", path, (item, p) -> {
            Node.Mapping u = mapping(item, p).orElse(null);
            if (u == null) {
                return null;
            }
            fields(u, p, Set.of("username", "email", "firstName", "lastName", "roles", "password"));
            String username = required(u, "username", p, USERNAME, "a lower-case user name");
            if (username != null && !usernames.add(username)) {
                error(u.entries().get("username").value(), p + ".username", "duplicate user '" + username + "'");
            }
            String email = optional(u, "email", p).orElse("");
            if (!email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+")) {
                error(u.entries().get("email").value(), p + ".email", "'" + email + "' is not an e-mail address");
            }
            users.add(new UserSpec(username, email, optional(u, "firstName", p).orElse(""),
                    optional(u, "lastName", p).orElse(""), references(u, "roles", p, roleNames, "role"),
                    secret(u, "password", p, username, "_PASSWORD")));
            return null;
        });

        RegistrationSpec registration = registration(m, path);

        if (errors.size() > before) {
            return Optional.empty();
        }
        warnOpenScopes(clients, scopes, scopeNodes, m, path);
        return Optional.of(new TenantSpec(realm, displayName, lifespan, resource, scopes, roles, clients, users,
                registration));
    }

    /**
     * A scope without roles that an interactive client may request is every user's for the asking: allowed (a
     * read scope may well be for everyone), but said out loud, once per scope and client.
     */
    private void warnOpenScopes(List<ClientSpec> clients, List<ScopeSpec> scopes, Map<String, Node.Mapping> scopeNodes,
                                Node.Mapping tenant, String path) {
        List<String> scopeOrder = scopes.stream().map(ScopeSpec::name).toList();
        for (ClientSpec client : clients) {
            if (client.type() != ClientSpec.Type.INTERACTIVE) {
                continue;
            }
            for (String name : client.scopes()) {
                ScopeSpec scope = scopes.get(scopeOrder.indexOf(name));
                if (!scope.gated()) {
                    Node at = scopeNodes.get(name);
                    warnings.add(new SpecError(file, at.line(), at.column(), path + ".scopes[" + scopeOrder.indexOf(name)
                            + "]", "scope '" + name + "' has no roles: every user of interactive client '"
                            + client.clientId() + "' can obtain it"));
                }
            }
        }
    }

    private RegistrationSpec registration(Node.Mapping tenant, String path) {
        Node.Entry entry = tenant.entries().get("registration");
        if (entry == null) {
            return RegistrationSpec.none();
        }
        String p = path + ".registration";
        Node.Mapping r = mapping(entry.value(), p).orElse(null);
        if (r == null) {
            return RegistrationSpec.none();
        }
        fields(r, p, Set.of("dynamic", "clientIdMetadataDocuments"));
        Optional<RegistrationSpec.Dynamic> dynamic = Optional.empty();
        Node.Entry d = r.entries().get("dynamic");
        if (d != null) {
            String dp = p + ".dynamic";
            Node.Mapping dm = d.value() instanceof Node.Scalar s && s.text() == null ? new Node.Mapping(Map.of(), s.line(), s.column())
                    : mapping(d.value(), dp).orElse(null);
            if (dm != null) {
                fields(dm, dp, Set.of("trustedHosts", "maxClients"));
                List<String> hosts = dm.entries().containsKey("trustedHosts") ? hosts(dm, "trustedHosts", dp, false)
                        : RegistrationSpec.Dynamic.LOOPBACK;
                if (hosts.isEmpty() && dm.entries().containsKey("trustedHosts")) {
                    error(dm.entries().get("trustedHosts").value(), dp + ".trustedHosts",
                            "at least one host is required (leave the field out for loopback only)");
                }
                int max = RegistrationSpec.Dynamic.DEFAULT_MAX_CLIENTS;
                Optional<String> maxText = optional(dm, "maxClients", dp);
                if (maxText.isPresent()) {
                    if (maxText.get().matches("\\d{1,6}") && Integer.parseInt(maxText.get()) >= 1) {
                        max = Integer.parseInt(maxText.get());
                    } else {
                        error(dm.entries().get("maxClients").value(), dp + ".maxClients",
                                "'" + maxText.get() + "' is not a number of clients between 1 and 999999");
                    }
                }
                dynamic = Optional.of(new RegistrationSpec.Dynamic(hosts, max));
            }
        }
        Optional<RegistrationSpec.ClientIdMetadataDocuments> cimd = Optional.empty();
        Node.Entry c = r.entries().get("clientIdMetadataDocuments");
        if (c != null) {
            String cp = p + ".clientIdMetadataDocuments";
            Node.Mapping cm = mapping(c.value(), cp).orElse(null);
            if (cm != null) {
                fields(cm, cp, Set.of("allowedDomains"));
                if (!cm.entries().containsKey("allowedDomains")) {
                    error(cm, cp, "missing required field 'allowedDomains' (Keycloak accepts no client id URL without it)");
                } else {
                    List<String> domains = hosts(cm, "allowedDomains", cp, true);
                    if (domains.isEmpty()) {
                        error(cm.entries().get("allowedDomains").value(), cp + ".allowedDomains", "at least one domain is required");
                    }
                    cimd = Optional.of(new RegistrationSpec.ClientIdMetadataDocuments(domains));
                }
            }
        }
        return new RegistrationSpec(dynamic, cimd);
    }

    /** Host names (or, with {@code wildcard}, Keycloak's {@code *.example.org} patterns), lower case, no duplicates. */
    private List<String> hosts(Node.Mapping m, String key, String path, boolean wildcard) {
        List<String> result = new ArrayList<>();
        each(m, key, path, (item, p) -> {
            String value = scalar(item, p).orElse(null);
            if (value == null) {
                return null;
            }
            if (!(wildcard ? WILDCARD_HOST : HOST).matcher(value).matches()) {
                error(item, p, "'" + value + "' is not a host name" + (wildcard ? " or *.domain pattern" : "")
                        + " (no scheme, port or path)");
            } else if (result.contains(value)) {
                error(item, p, "host '" + value + "' is listed twice");
            } else {
                result.add(value);
            }
            return null;
        });
        return result;
    }

    private Duration duration(String value, Node.Mapping m, String path) {
        Matcher matcher = DURATION.matcher(value);
        Duration result = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            result = switch (matcher.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        if (result == null || result.toSeconds() < 10 || result.toHours() > 24) {
            error(m.entries().get("accessTokenLifespan").value(), path + ".accessTokenLifespan",
                    "'" + value + "' is not a lifetime between 10s and 24h (e.g. 300, 300s, 5m, 1h)");
            return Duration.ofMinutes(5);
        }
        return result;
    }

    private List<String> references(Node.Mapping m, String key, String path, Set<String> declared, String what) {
        List<String> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        each(m, key, path, (item, p) -> {
            String value = scalar(item, p).orElse(null);
            if (value == null) {
                return null;
            }
            if (!declared.contains(value)) {
                error(item, p, what + " '" + value + "' is not declared");
            } else if (!seen.add(value)) {
                error(item, p, what + " '" + value + "' is listed twice");
            } else {
                result.add(value);
            }
            return null;
        });
        return result;
    }

    private SecretRef secret(Node.Mapping m, String key, String path, String owner, String suffix) {
        Node.Entry entry = m.entries().get(key);
        String name;
        Node at = m;
        if (entry == null) {
            if (owner == null) {
                return null;
            }
            name = owner.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + suffix;
        } else {
            at = entry.value();
            String raw = at instanceof Node.Scalar s ? s.text() : null;
            Matcher matcher = raw == null ? null : SECRET_PLACEHOLDER.matcher(raw);
            if (matcher == null || !matcher.matches()) {
                error(at, path + "." + key, "secrets never live in the spec: write ${ENV_NAME} (set it, or leave it "
                        + "unset to have one generated into the secrets file)");
                return null;
            }
            name = matcher.group(1);
        }
        String first = secretNames.putIfAbsent(name, path + "." + key);
        if (first != null) {
            error(at, path + "." + key, "secret variable " + name + " is already used by " + first);
        }
        return new SecretRef(name, Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty()));
    }

    private URI url(Node.Mapping m, String key, String path, boolean required) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            if (required) {
                error(m, path, "missing required field '" + key + "'");
            }
            return null;
        }
        return url(entry.value(), path + "." + key, !required);
    }

    private URI url(Node node, String path, boolean redirect) {
        String value = scalar(node, path).orElse(null);
        if (value == null) {
            return null;
        }
        // Keycloak accepts one trailing '*' wildcard in redirect URIs; everything before it must be a URL.
        String checked = redirect && value.endsWith("*") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = new URI(checked);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getFragment() != null) {
                throw new URISyntaxException(value, "need an absolute http(s) URL with a host and no fragment");
            }
            return new URI(value);
        } catch (URISyntaxException | IllegalArgumentException e) {
            error(node, path, "'" + value + "' is not a valid URL (absolute http or https, with a host, no fragment)");
            return null;
        }
    }

    private void reject(Node.Mapping m, String key, String path, String why) {
        Node.Entry entry = m.entries().get(key);
        if (entry != null && !(entry.value() instanceof Node.Sequence s && s.items().isEmpty())) {
            error(entry.keyLine(), entry.keyColumn(), path + "." + key, why);
        }
    }

    private String required(Node.Mapping m, String key, String path, Pattern pattern, String expected) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            error(m, path, "missing required field '" + key + "'");
            return null;
        }
        String value = scalar(entry.value(), path + "." + key).orElse(null);
        if (value != null && !pattern.matcher(value).matches()) {
            error(entry.value(), path + "." + key, "'" + value + "' is not " + expected);
            return null;
        }
        return value;
    }

    private Optional<String> optional(Node.Mapping m, String key, String path) {
        Node.Entry entry = m.entries().get(key);
        return entry == null ? Optional.empty() : scalar(entry.value(), path + "." + key);
    }

    private void each(Node.Mapping m, String key, String path, BiFunction<Node, String, Void> action) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            return;
        }
        List<Node> items = sequence(entry.value(), path + "." + key);
        for (int i = 0; i < items.size(); i++) {
            action.apply(items.get(i), path + "." + key + "[" + i + "]");
        }
    }

    private Optional<String> scalar(Node node, String path) {
        if (!(node instanceof Node.Scalar s) || s.text() == null) {
            error(node, path, node instanceof Node.Scalar ? "a value is required" : "expected a single value");
            return Optional.empty();
        }
        return Optional.ofNullable(substitute(s, path));
    }

    private String substitute(Node.Scalar s, String path) {
        Matcher matcher = PLACEHOLDER.matcher(s.text());
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                value = matcher.group(2);
            }
            if (value == null) {
                error(s, path, "environment variable " + matcher.group(1) + " is not set (write ${"
                        + matcher.group(1) + ":-default} to give a default)");
                ok = false;
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return ok ? out.toString() : null;
    }

    private Optional<Node.Mapping> mapping(Node node, String path) {
        if (node instanceof Node.Mapping m) {
            return Optional.of(m);
        }
        error(node, path, "expected a mapping (key: value lines)");
        return Optional.empty();
    }

    private List<Node> sequence(Node node, String path) {
        if (node instanceof Node.Sequence s) {
            return s.items();
        }
        error(node, path, "expected a list");
        return List.of();
    }

    private void fields(Node.Mapping m, String path, Set<String> allowed) {
        for (Node.Entry entry : m.entries().values()) {
            if (!allowed.contains(entry.key())) {
                error(entry.keyLine(), entry.keyColumn(), (path.isEmpty() ? "" : path + ".") + entry.key(),
                        "unknown field '" + entry.key() + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private void error(Node at, String path, String message) {
        error(at.line(), at.column(), path, message);
    }

    private void error(int line, int column, String path, String message) {
        errors.add(new SpecError(file, line, column, path, message));
    }
}
