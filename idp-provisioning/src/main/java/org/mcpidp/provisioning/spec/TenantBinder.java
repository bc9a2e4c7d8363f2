package org.mcpidp.provisioning.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the located tree into {@link TenantSpec}s, checking everything on the way and collecting every error; each
 * part of a tenant has its own binder. References (a client's scopes, a user's roles) are checked against the
 * declarations of the same tenant wherever in the file those were written. The target's own rules on names
 * ({@link TargetRules}) are asked where the names are written.
 */
final class TenantBinder {

    private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final SpecReader in;
    private final TargetRules rules;

    TenantBinder(SpecReader in, TargetRules rules) {
        this.in = in;
        this.rules = rules;
    }

    List<TenantSpec> bind(Node root) {
        List<TenantSpec> tenants = new ArrayList<>();
        Optional<Node.Mapping> top = in.mapping(root, "");
        if (top.isEmpty()) {
            return tenants;
        }
        in.fields(top.get(), "", Set.of("tenants"));
        Node.Entry entry = top.get().entries().get("tenants");
        if (entry == null) {
            in.error(root, "", "missing required field 'tenants'");
            return tenants;
        }
        List<Node> items = in.sequence(entry.value(), "tenants");
        if (items.isEmpty() && entry.value() instanceof Node.Sequence) {
            in.error(entry.value(), "tenants", "at least one tenant is required");
        }
        Map<String, Node> realms = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "tenants[" + i + "]";
            Node item = items.get(i);
            tenant(item, path).ifPresent(t -> {
                Node at = ((Node.Mapping) item).entries().get("realm").value();
                if (realms.putIfAbsent(t.realm().toLowerCase(Locale.ROOT), at) != null) {
                    in.error(at, path + ".realm", "duplicate realm '" + t.realm() + "'");
                }
                tenants.add(t);
            });
        }
        return tenants;
    }

    private Optional<TenantSpec> tenant(Node node, String path) {
        Optional<Node.Mapping> found = in.mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Node.Mapping m = found.get();
        int before = in.errorCount();
        in.fields(m, path, Set.of("realm", "displayName", "accessTokenLifespan", "resource", "servers", "scopes", "roles",
                "clients", "users", "registration", "downstream", "people"));
        String realm = in.required(m, "realm", path, REALM, "a realm name (letters, digits, '.', '_', '-')");
        if (realm != null) {
            rules.realm(realm).ifPresent(why -> in.error(m.entries().get("realm").value(), path + ".realm", why));
        }
        String displayName = in.optional(m, "displayName", path).orElse("");
        Duration lifespan = in.optional(m, "accessTokenLifespan", path).map(v -> in.duration(v, m, path))
                .orElse(Duration.ofMinutes(5));

        // Roles first: scopes refer to them, wherever in the file they were written, and their gates are compared
        // through the roles' includes only when those were read without an error.
        int beforeRoles = in.errorCount();
        RoleBinder.Roles roles = RoleBinder.bind(in, rules, m, path);
        Set<String> roleNames = roles.declared();
        ScopeBinder.Scopes scopes = ScopeBinder.bind(in, rules, m, path, roles, in.errorCount() == beforeRoles);
        List<ResourceSpec> servers = ResourceBinder.bind(in, rules, m, path,
                scopes.scopes().stream().map(ScopeSpec::name).filter(scopes.declared()::containsKey).toList(),
                scopes.declared());
        Set<String> clientIds = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            String clientId = servers.get(i).clientId();
            if (clientId != null && !clientIds.add(clientId)) {
                in.error(m.entries().get("servers").value(), path + ".servers[" + i + "].clientId",
                        "duplicate client '" + clientId + "'");
            }
        }
        List<ClientSpec> clients = ClientBinder.bind(in, m, path, clientIds, scopes.declared().keySet(), roleNames);
        List<UserSpec> users = UserBinder.bind(in, m, path, roleNames);
        RegistrationSpec registration = RegistrationBinder.bind(in, m, path);
        checkRegistration(m, path, registration);
        List<DownstreamSpec> downstream = DownstreamBinder.bind(in, rules, m, path, clientIds,
                scopes.declared().keySet());
        PeopleBinder.Bound people = PeopleBinder.bind(in, m, path, clientIds, registration, lifespan);

        if (in.errorCount() > before) {
            return Optional.empty();
        }
        warnOpenScopes(clients, scopes, path);
        return Optional.of(new TenantSpec(realm, displayName, lifespan, servers, scopes.scopes(), roles.roles(),
                clients, users, people.registration(), downstream, people.people()));
    }

    /** Warns at each kind of self-registration the spec asks for that the target does not offer (Entra: neither). */
    private void checkRegistration(Node.Mapping m, String path, RegistrationSpec registration) {
        Node.Entry entry = m.entries().get("registration");
        if (entry == null || !(entry.value() instanceof Node.Mapping r)) {
            return;
        }
        for (String field : List.of("dynamic", "clientIdMetadataDocuments")) {
            boolean asked = field.equals("dynamic") ? registration.dynamic().isPresent()
                    : registration.clientIdMetadataDocuments().isPresent();
            Node.Entry at = r.entries().get(field);
            if (asked && at != null) {
                rules.ignoredRegistration(field).ifPresent(why -> in.warn(new Node.Scalar(null, at.keyLine(),
                        at.keyColumn()), path + ".registration." + field, why));
            }
        }
    }

    /**
     * A scope without roles that an interactive client may request is every user's for the asking: allowed (a
     * read scope may well be for everyone), but said out loud, once per scope and client.
     */
    private void warnOpenScopes(List<ClientSpec> clients, ScopeBinder.Scopes scopes, String path) {
        List<String> scopeOrder = scopes.scopes().stream().map(ScopeSpec::name).toList();
        for (ClientSpec client : clients) {
            if (client.type() != ClientSpec.Type.INTERACTIVE) {
                continue;
            }
            for (String name : client.scopes()) {
                ScopeSpec scope = scopes.scopes().get(scopeOrder.indexOf(name));
                if (!scope.gated()) {
                    in.warn(scopes.declared().get(name), path + ".scopes[" + scopeOrder.indexOf(name) + "]",
                            "scope '" + name + "' has no roles: every user of interactive client '" + client.clientId()
                                    + "' can obtain it");
                }
            }
        }
    }
}
