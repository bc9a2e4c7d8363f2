package org.mcpidp.provisioning.keycloak;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ownership ledger kept in Keycloak itself: clients, client scopes, roles and the realm carry the attribute
 * {@code mcpidp.managed-by=<realm>}. Users cannot: Keycloak 26's user profile silently drops unmanaged attributes,
 * so owned user names are listed in the realm attribute {@code mcpidp.owned-users}. Only owned objects are deleted.
 */
final class Ownership {

    static final String MANAGED_BY = "mcpidp.managed-by";
    static final String OWNED_USERS = "mcpidp.owned-users";

    private Ownership() {
    }

    static boolean owned(Map<String, String> attributes, String realm) {
        return attributes != null && realm.equals(attributes.get(MANAGED_BY));
    }

    static boolean ownedRole(Map<String, List<String>> attributes, String realm) {
        return attributes != null && attributes.getOrDefault(MANAGED_BY, List.of()).contains(realm);
    }

    static Set<String> ledger(Map<String, String> realmAttributes) {
        String value = realmAttributes == null ? null : realmAttributes.get(OWNED_USERS);
        Set<String> names = new TreeSet<>();
        if (value != null && !value.isBlank()) {
            names.addAll(Arrays.asList(value.split(",")));
        }
        return names;
    }

    static String ledgerValue(Set<String> names) {
        return String.join(",", new TreeSet<>(names));
    }
}
