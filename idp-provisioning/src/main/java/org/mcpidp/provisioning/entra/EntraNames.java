package org.mcpidp.provisioning.entra;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Names and ids this tool gives Entra objects, all derived from the spec so that every apply computes the same ones.
 *
 * <p>An application's {@code uniqueName} is {@code mcpidp:<realm>:<clientId>} (a realm cannot contain ':', so names
 * of different tenants never collide). Whose an object is: {@link EntraOwnership}.
 */
final class EntraNames {

    private EntraNames() {
    }

    static String uniqueName(String realm, String clientId) {
        return "mcpidp:" + realm + ":" + clientId;
    }

    /** Stable id of the delegated permission for a spec scope. */
    static UUID scopeId(String realm, String scope) {
        return derived(realm, "oauth2PermissionScope", scope);
    }

    /** Stable id of the app role that is a spec scope's app-only twin. */
    static UUID scopeRoleId(String realm, String scope) {
        return derived(realm, "appRole:scope", scope);
    }

    /** Stable id of the app role for a spec role. */
    static UUID roleId(String realm, String role) {
        return derived(realm, "appRole:role", role);
    }

    /** Stable id of the delegated permission a downstream API exposes for one of its spec scopes. */
    static UUID downstreamScopeId(String realm, String api, String scope) {
        return derived(realm, "downstream:" + api + ":oauth2PermissionScope", scope);
    }

    /**
     * A name-based (version 3) UUID: the same tenant and name give the same id on every machine and every apply,
     * and different tenants or kinds give different ids.
     */
    private static UUID derived(String realm, String kind, String name) {
        return UUID.nameUUIDFromBytes(("mcpidp:" + realm + ":" + kind + ":" + name).getBytes(StandardCharsets.UTF_8));
    }
}
