package org.mcpidp.provisioning.keycloak;

import java.util.Optional;
import java.util.Set;
import org.mcpidp.provisioning.spec.TargetRules;

/** What Keycloak reserves: the master realm, its own client scopes and realm roles (names would collide). */
public final class KeycloakSpecRules implements TargetRules {

    public static final KeycloakSpecRules INSTANCE = new KeycloakSpecRules();

    private static final Set<String> BUILT_IN_SCOPES = Set.of("openid", "profile", "email", "roles", "web-origins",
            "acr", "basic", "address", "phone", "offline_access", "microprofile-jwt", "organization", "service_account");
    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");

    private KeycloakSpecRules() {
    }

    @Override
    public Optional<String> realm(String realm) {
        return "master".equalsIgnoreCase(realm) ? Optional.of("the master realm cannot be a tenant") : Optional.empty();
    }

    @Override
    public Optional<String> scope(String name) {
        return BUILT_IN_SCOPES.contains(name) ? Optional.of("'" + name + "' is one of Keycloak's built-in scopes")
                : Optional.empty();
    }

    @Override
    public Optional<String> role(String name) {
        return BUILT_IN_ROLES.contains(name) || name.startsWith("default-roles-")
                ? Optional.of("'" + name + "' is one of Keycloak's built-in roles") : Optional.empty();
    }
}
