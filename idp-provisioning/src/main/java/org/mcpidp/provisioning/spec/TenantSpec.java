package org.mcpidp.provisioning.spec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant: becomes one Keycloak realm. Every list is in spec order and free of duplicates (the loader checks).
 *
 * @param realm               realm name, also the value of the ownership marker on everything this tool creates
 * @param displayName         shown on Keycloak's login pages; empty means the realm name
 * @param accessTokenLifespan realm access-token lifetime
 * @param servers             the MCP servers (at least one; {@code resource:} in the spec is one server owning every
 *                            scope); each scope belongs to exactly one of them
 * @param registration        self-registering clients (Keycloak only); {@link RegistrationSpec#none()} when off
 * @param downstream          the company's APIs that tools call as their caller (token exchange); empty for none
 * @param people              the MCP clients the tenant's people run and how long their sign-ins last; empty when the
 *                            spec has no {@code people} section (the IdP's defaults stay)
 */
public record TenantSpec(String realm, String displayName, Duration accessTokenLifespan, List<ResourceSpec> servers,
                         List<ScopeSpec> scopes, List<RoleSpec> roles, List<ClientSpec> clients, List<UserSpec> users,
                         RegistrationSpec registration, List<DownstreamSpec> downstream, Optional<PeopleSpec> people) {

    public TenantSpec {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a tenant needs at least one MCP server");
        }
        scopes = List.copyOf(scopes);
        roles = List.copyOf(roles);
        clients = List.copyOf(clients);
        users = List.copyOf(users);
        downstream = List.copyOf(downstream);
    }

    /** A tenant with one MCP server, which owns every scope (the spec's {@code resource:}), and no {@code people}. */
    public TenantSpec(String realm, String displayName, Duration accessTokenLifespan, ResourceSpec resource,
                      List<ScopeSpec> scopes, List<RoleSpec> roles, List<ClientSpec> clients, List<UserSpec> users,
                      RegistrationSpec registration, List<DownstreamSpec> downstream) {
        this(realm, displayName, accessTokenLifespan,
                List.of(resource.owning(scopes.stream().map(ScopeSpec::name).toList())), scopes, roles, clients, users,
                registration, downstream, Optional.empty());
    }

    /** A tenant with one MCP server and without downstream APIs. */
    public TenantSpec(String realm, String displayName, Duration accessTokenLifespan, ResourceSpec resource,
                      List<ScopeSpec> scopes, List<RoleSpec> roles, List<ClientSpec> clients, List<UserSpec> users,
                      RegistrationSpec registration) {
        this(realm, displayName, accessTokenLifespan, resource, scopes, roles, clients, users, registration, List.of());
    }

    /** A tenant without self-registering clients. */
    public TenantSpec(String realm, String displayName, Duration accessTokenLifespan, ResourceSpec resource,
                      List<ScopeSpec> scopes, List<RoleSpec> roles, List<ClientSpec> clients, List<UserSpec> users) {
        this(realm, displayName, accessTokenLifespan, resource, scopes, roles, clients, users, RegistrationSpec.none());
    }

    /**
     * The tenant's only MCP server, for what handles one server per tenant (the Entra target, the dev stack).
     *
     * @throws IllegalStateException when the tenant has several ({@link #servers()})
     */
    public ResourceSpec resource() {
        if (servers.size() != 1) {
            throw new IllegalStateException("tenant " + realm + " has " + servers.size() + " MCP servers; this "
                    + "handles one: use servers()");
        }
        return servers.get(0);
    }

    /** The server that owns {@code scope}, if it is one of the tenant's scopes. */
    public Optional<ResourceSpec> serverOf(String scope) {
        return servers.stream().filter(s -> s.scopes().contains(scope)).findFirst();
    }

    public Optional<ResourceSpec> server(String clientId) {
        return servers.stream().filter(s -> s.clientId().equals(clientId)).findFirst();
    }

    public Optional<ClientSpec> client(String clientId) {
        return clients.stream().filter(c -> c.clientId().equals(clientId)).findFirst();
    }

    public Optional<UserSpec> user(String username) {
        return users.stream().filter(u -> u.username().equals(username)).findFirst();
    }

    public Optional<ScopeSpec> scope(String name) {
        return scopes.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<DownstreamSpec> downstream(String clientId) {
        return downstream.stream().filter(d -> d.clientId().equals(clientId)).findFirst();
    }

    public Optional<RoleSpec> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The scopes' {@link ScopeSpec#implies()}, as the MCP server's {@code mcp.auth.scope-hierarchy}. */
    public ScopeHierarchy scopeHierarchy() {
        return ScopeHierarchy.of(this);
    }

    /**
     * What a principal given {@code granted} holds: those roles and every role they include, transitively
     * ({@link RoleSpec#includes()}), in the order the spec declares them.
     */
    public List<String> effectiveRoles(Collection<String> granted) {
        Set<String> held = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(granted);
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (held.add(name)) {
                role(name).ifPresent(r -> todo.addAll(r.includes()));
            }
        }
        return roles.stream().map(RoleSpec::name).filter(held::contains).toList();
    }
}
