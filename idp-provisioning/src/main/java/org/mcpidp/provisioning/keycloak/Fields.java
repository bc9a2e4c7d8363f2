package org.mcpidp.provisioning.keycloak;

/**
 * Normalizes Keycloak representation values into the text that {@link org.mcpidp.provisioning.FieldChange} compares
 * (the diff itself is shared by every target).
 */
final class Fields {

    private Fields() {
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    static String bool(Boolean value) {
        return Boolean.toString(Boolean.TRUE.equals(value));
    }
}
