package org.mcpidp.provisioning.spec;

/** A realm role, granted to agents (their service-account users) and demo users. */
public record RoleSpec(String name, String description) {
}
