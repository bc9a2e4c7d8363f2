package org.mcpidp.provisioning;

/**
 * A tenant with two MCP servers, shared by the spec tests and the Keycloak scenarios: {@code orders-mcp} owns
 * {@code orders:read} (role clerk) and {@code orders:write} (role manager, which includes clerk); {@code hr-mcp} owns
 * {@code hr:read} (role hr). An agent may ask for every scope and holds manager and hr; the interactive client
 * {@code desk} may ask for every scope; alice is a clerk in HR (clerk, hr), bob a manager.
 */
public final class ServersFixture {

    public static final String ORDERS = "orders-mcp";
    public static final String HR = "hr-mcp";

    private ServersFixture() {
    }

    /**
     * The tenant under {@code realm} with the servers at {@code ordersUrl} and {@code hrUrl} (written as given). Users
     * have first and last names: Keycloak's user profile asks for them at a person's first sign-in otherwise.
     */
    public static String twoServers(String realm, String ordersUrl, String hrUrl) {
        return """
                tenants:
                  - realm: %s
                    servers:
                      - url: %s
                        clientId: orders-mcp
                        scopes: [orders:read, orders:write]
                      - url: %s
                        clientId: hr-mcp
                        scopes: [hr:read]
                    scopes:
                      - name: orders:read
                        description: Read orders
                        roles: [clerk]
                      - name: orders:write
                        description: Change orders
                        roles: [manager]
                      - name: hr:read
                        description: Read staff records
                        roles: [hr]
                    roles:
                      - name: clerk
                      - name: manager
                        includes: [clerk]
                      - name: hr
                    clients:
                      - clientId: agent-both
                        type: agent
                        scopes: [orders:read, orders:write, hr:read]
                        roles: [manager, hr]
                      - clientId: desk
                        type: interactive
                        scopes: [orders:read, orders:write, hr:read]
                        redirectUris: [http://127.0.0.1:6274/oauth/callback]
                    users:
                      - username: alice
                        email: alice@example.test
                        firstName: Alice
                        lastName: Clerk
                        roles: [clerk, hr]
                        password: ${ALICE_PASSWORD}
                      - username: bob
                        email: bob@example.test
                        firstName: Bob
                        lastName: Manager
                        roles: [manager]
                        password: ${BOB_PASSWORD}
                """.formatted(realm, ordersUrl, hrUrl);
    }
}
