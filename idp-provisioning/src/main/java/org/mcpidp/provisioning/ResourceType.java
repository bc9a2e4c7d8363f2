package org.mcpidp.provisioning;

/** Kinds of IdP objects a plan touches, in the order creates and updates run (deletes run in reverse). */
public enum ResourceType {
    REALM("realm"),
    CLIENT_SCOPE("client-scope"),
    ROLE("role"),
    CLIENT("client"),
    USER("user"),
    ROLE_MAPPING("role-mapping");

    private final String label;

    ResourceType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
