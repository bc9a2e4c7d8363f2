package org.mcpidp.devstack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/** What {@code .dev/stack.env} holds once the stack answers: everything a user needs to call it, secrets included. */
final class StackEnv {

    private StackEnv() {
    }

    /** The variables in the order written: URLs, the admin login, each agent's id and secret, users' passwords. */
    static Map<String, String> of(TenantSpec tenant, String kcUrl, String issuer, String mcpUrl, String ordersUrl,
                                  String adminUser, String adminPassword, SecretStore secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEYCLOAK_URL", kcUrl);
        env.put("REALM", tenant.realm());
        env.put("ISSUER", issuer);
        env.put("MCP_URL", mcpUrl);
        env.put("ORDERS_API_URL", ordersUrl);
        env.put("KEYCLOAK_ADMIN_USER", adminUser);
        env.put("KEYCLOAK_ADMIN_PASSWORD", adminPassword);
        for (ClientSpec client : tenant.clients()) {
            if (client.type() == ClientSpec.Type.AGENT && client.secret() != null) {
                String prefix = client.clientId().toUpperCase(Locale.ROOT).replace('-', '_');
                env.put(prefix + "_ID", client.clientId());
                secrets.get(client.secret().envName()).ifPresent(value -> env.put(client.secret().envName(), value));
            }
        }
        tenant.users().forEach(user -> secrets.get(user.password().envName())
                .ifPresent(value -> env.put(user.password().envName(), value)));
        return env;
    }
}
