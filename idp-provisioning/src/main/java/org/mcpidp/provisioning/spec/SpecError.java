package org.mcpidp.provisioning.spec;

/**
 * One problem in a spec file, located like a compiler error:
 * {@code demo-tenant.yaml:14:7: tenants[0].clients[1].scopes[0]: scope 'mcp:writ' is not declared}.
 */
public record SpecError(String file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
