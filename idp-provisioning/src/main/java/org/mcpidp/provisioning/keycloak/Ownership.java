package org.mcpidp.provisioning.keycloak;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.mcpidp.provisioning.engine.Owner;

/**
 * The ownership ledger kept in Keycloak itself, the one place that writes and reads it (only owned objects are ever
 * deleted):
 * <ul>
 *   <li>clients, client scopes and the realm carry the attribute {@value #MANAGED_BY}{@code =<realm>}; realm roles the
 *       same attribute as a one-value list (their attributes are lists);</li>
 *   <li>users cannot (Keycloak 26's user profile silently drops unmanaged attributes): owned user names are listed in
 *       the realm attribute {@value #OWNED_USERS};</li>
 *   <li>client profiles and policies keep no attributes: their description starts with
 *       {@code mcpidp.managed-by=<realm> };</li>
 *   <li>realm settings this tool changes (the anonymous registration policies, people's sessions) cannot carry a
 *       marker either: a realm attribute per setting names the tenant that set them.</li>
 * </ul>
 */
final class Ownership {

    static final String MANAGED_BY = "mcpidp.managed-by";
    static final String OWNED_USERS = "mcpidp.owned-users";

    private Ownership() {
    }

    /** Whose a client, client scope or realm with these attributes (possibly null) is. */
    static Owner of(Map<String, String> attributes, String realm) {
        return Owner.of(attributes == null ? null : attributes.get(MANAGED_BY), realm);
    }

    static boolean owned(Map<String, String> attributes, String realm) {
        return of(attributes, realm).isThisTenant();
    }

    /** Whose the live client {@code clientId} is; nobody's when there is none. */
    static Owner ofClient(LiveRealm live, String clientId, String realm) {
        return of(live.client(clientId).map(ClientRepresentation::getAttributes).orElse(null), realm);
    }

    /** Whose the live client scope {@code name} is; nobody's when there is none. */
    static Owner ofScope(LiveRealm live, String name, String realm) {
        return of(live.scope(name).map(ClientScopeRepresentation::getAttributes).orElse(null), realm);
    }

    /** Whose the realm is; nobody's when it does not exist. */
    static Owner ofRealm(LiveRealm live, String realm) {
        return of(live.realm().map(RealmRepresentation::getAttributes).orElse(null), realm);
    }

    /** The marker of a client, client scope or realm, to add to its attributes. */
    static Map<String, String> marker(String realm) {
        return Map.of(MANAGED_BY, realm);
    }

    /** {@code attributes} (mutable) marked as the tenant's, other attributes kept. */
    static Map<String, String> mark(Map<String, String> attributes, String realm) {
        attributes.putAll(marker(realm));
        return attributes;
    }

    /** Whose a realm role with these attributes (possibly null) is: the tenant's when its list names it. */
    static Owner ofRole(Map<String, List<String>> attributes, String realm) {
        return Owner.ifOwned(attributes != null && attributes.getOrDefault(MANAGED_BY, List.of()).contains(realm), realm);
    }

    static boolean ownedRole(Map<String, List<String>> attributes, String realm) {
        return ofRole(attributes, realm).isThisTenant();
    }

    /** Whose the live realm role {@code name} is; nobody's when there is none. */
    static Owner ofRole(LiveRealm live, String name, String realm) {
        return ofRole(live.role(name).map(RoleRepresentation::getAttributes).orElse(null), realm);
    }

    /** The marker of a realm role, to add to its attributes. */
    static Map<String, List<String>> roleMarker(String realm) {
        return Map.of(MANAGED_BY, List.of(realm));
    }

    /** Whose the user {@code username} is: the tenant's when the realm's ledger lists it. */
    static Owner ofUser(Set<String> ledger, String username, String realm) {
        return Owner.ifOwned(ledger.contains(username), realm);
    }

    static Owner ofUser(LiveRealm live, String username, String realm) {
        return ofUser(live.ownedUsers(), username, realm);
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

    /**
     * Records the user as the tenant's ({@code owned}) in the realm's ledger, or forgets it; writes nothing when the
     * ledger already says so.
     */
    static void recordUser(ApplyContext context, String username, boolean owned) {
        Set<String> names = ledger(context.gateway().realm(context.realm()).orElseThrow().getAttributes());
        if (owned ? !names.add(username) : !names.remove(username)) {
            return;
        }
        updateRealmAttribute(context, OWNED_USERS, ledgerValue(names));
    }

    /** The start of the description of a client profile or policy the tenant owns; the rest says what it is for. */
    static String descriptionPrefix(String realm) {
        return MANAGED_BY + "=" + realm + " ";
    }

    static boolean ownedDescription(String description, String realm) {
        return description != null && description.startsWith(descriptionPrefix(realm));
    }

    /** Whose the realm setting whose marker attribute is {@code marker} is. */
    static Owner ofSetting(Map<String, String> realmAttributes, String marker, String realm) {
        return Owner.of(realmAttributes == null ? null : realmAttributes.get(marker), realm);
    }

    static Owner ofSetting(LiveRealm live, String marker, String realm) {
        return ofSetting(live.realm().map(RealmRepresentation::getAttributes).orElse(null), marker, realm);
    }

    /** The realm's attributes with the setting's marker set for the tenant ({@code owned}) or removed. */
    static Map<String, String> withSetting(ApplyContext context, String marker, boolean owned) {
        return withAttribute(context, marker, owned ? context.realm() : null);
    }

    /** Writes the setting's marker for the tenant ({@code owned}) or removes it, in a realm update of its own. */
    static void markSetting(ApplyContext context, String marker, boolean owned) {
        updateRealmAttribute(context, marker, owned ? context.realm() : null);
    }

    /** The live realm's attributes with the realm itself marked as the tenant's, to send in a realm update. */
    static Map<String, String> withRealmMarker(ApplyContext context) {
        return withAttribute(context, MANAGED_BY, context.realm());
    }

    private static void updateRealmAttribute(ApplyContext context, String key, String value) {
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(context.realm());
        rep.setAttributes(withAttribute(context, key, value));
        context.gateway().updateRealm(context.realm(), rep);
    }

    /**
     * A realm update replaces the whole attribute map: what is there, with {@code key} set to {@code value} (removed
     * when null).
     */
    private static Map<String, String> withAttribute(ApplyContext context, String key, String value) {
        Map<String, String> attributes = KeycloakGateway.mutable(
                context.gateway().realm(context.realm()).orElseThrow().getAttributes());
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
        return attributes;
    }
}
