package org.mcpidp.provisioning.spec;

/** A scope clients may request, e.g. {@code mcp:read}. Becomes a client scope that also sets the audience. */
public record ScopeSpec(String name, String description) {
}
