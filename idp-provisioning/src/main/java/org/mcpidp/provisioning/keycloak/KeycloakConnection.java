package org.mcpidp.provisioning.keycloak;

import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to reach Keycloak's Admin REST API. Credentials come from the environment only, never from
 * command-line arguments (visible in {@code ps}): {@code KEYCLOAK_ADMIN_CLIENT_ID}/{@code KEYCLOAK_ADMIN_CLIENT_SECRET}
 * (a service-account client, preferred) or {@code KEYCLOAK_ADMIN_USER}/{@code KEYCLOAK_ADMIN_PASSWORD}, in the realm
 * {@code KEYCLOAK_ADMIN_REALM} (default {@code master}).
 */
public record KeycloakConnection(String url, String adminRealm, String clientId, Optional<String> clientSecret,
                                 Optional<String> username, Optional<String> password) {

    public static KeycloakConnection fromEnv(String url, Map<String, String> env) {
        String realm = env.getOrDefault("KEYCLOAK_ADMIN_REALM", "master");
        Optional<String> secret = Optional.ofNullable(env.get("KEYCLOAK_ADMIN_CLIENT_SECRET")).filter(s -> !s.isEmpty());
        if (secret.isPresent()) {
            String clientId = Optional.ofNullable(env.get("KEYCLOAK_ADMIN_CLIENT_ID")).filter(s -> !s.isEmpty())
                    .orElseThrow(() -> new IllegalArgumentException("KEYCLOAK_ADMIN_CLIENT_SECRET is set but KEYCLOAK_ADMIN_CLIENT_ID is not"));
            return new KeycloakConnection(url, realm, clientId, secret, Optional.empty(), Optional.empty());
        }
        Optional<String> user = Optional.ofNullable(env.get("KEYCLOAK_ADMIN_USER")).filter(s -> !s.isEmpty());
        Optional<String> password = Optional.ofNullable(env.get("KEYCLOAK_ADMIN_PASSWORD")).filter(s -> !s.isEmpty());
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("no Keycloak admin credentials: set KEYCLOAK_ADMIN_CLIENT_ID and "
                    + "KEYCLOAK_ADMIN_CLIENT_SECRET, or KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD");
        }
        return new KeycloakConnection(url, realm, "admin-cli", Optional.empty(), user, password);
    }

    /** Hides credentials: records print themselves in logs and exceptions. */
    @Override
    public String toString() {
        return "KeycloakConnection[" + url + ", realm " + adminRealm + ", "
                + (clientSecret.isPresent() ? "client " + clientId : "user " + username.orElse("?")) + "]";
    }
}
