package org.mcpidp.provisioning.engine;

/**
 * Whose an IdP object is, as read from the ownership marker this tool writes on what it makes for a tenant: the tenant
 * being planned ({@link This}), another tenant ({@link Other}), or nobody ({@link Nobody}: made by hand, by another
 * tool, or not there at all). Only the first may be changed at will and deleted; the others are taken over only as
 * their type allows ({@link KeyedReconciler#takeoverNeedsAdoption()}).
 *
 * <p>Each target reads and writes its marker in one place (Keycloak: {@code keycloak.Ownership}, Entra:
 * {@code entra.EntraOwnership}); plans show it as the managed field {@value #FIELD}, which the keyed diff adds to
 * every type that has a marker, so a takeover shows as {@code managedBy: -> <realm>}.
 */
public sealed interface Owner {

    /** The managed field that shows the marker in plans: the realm it names, empty when none. */
    String FIELD = "managedBy";

    /** Marked for the tenant being planned ({@code realm}). */
    record This(String realm) implements Owner {
    }

    /** Marked for another tenant, {@code realm}. */
    record Other(String realm) implements Owner {
    }

    /** No marker. */
    record Nobody() implements Owner {
    }

    Owner NOBODY = new Nobody();

    /** The owner a single marker value names; {@code null} or empty is nobody. */
    static Owner of(String marker, String realm) {
        if (marker == null || marker.isEmpty()) {
            return NOBODY;
        }
        return marker.equals(realm) ? new This(realm) : new Other(marker);
    }

    /**
     * This tenant's, or nobody's: for a marker that is only ever tested for the tenant (a role's list attribute, an
     * app's tags, the users' ledger), where plans have always shown one marked for another tenant as unmarked.
     */
    static Owner ifOwned(boolean owned, String realm) {
        return owned ? new This(realm) : NOBODY;
    }

    default boolean isThisTenant() {
        return this instanceof This;
    }

    /** The value of {@link #FIELD}: the realm the marker names, empty for nobody. */
    default String field() {
        return switch (this) {
            case This t -> t.realm();
            case Other o -> o.realm();
            case Nobody n -> "";
        };
    }
}
