package org.mcpidp.provisioning.spec;

import java.util.List;

/**
 * A scope of a downstream API, e.g. {@code orders:read}.
 *
 * @param from MCP scopes (declared in the tenant's {@code scopes}) whose holders may exchange for this one; the
 *             downstream scope follows the roles of those scopes, so a caller gets it only when her roles allow it
 */
public record DownstreamScopeSpec(String name, String description, List<String> from) {

    public DownstreamScopeSpec {
        from = List.copyOf(from);
    }
}
