package org.mcpidp.downstream;

import java.util.Objects;
import java.util.Set;

/**
 * The API a tool calls: the audience its tokens must carry (Keycloak: the API's client id; Entra: the API app's
 * application ID URI or client id) and the scopes the tool needs there.
 */
public record DownstreamTarget(String audience, Set<String> scopes) {

    public DownstreamTarget {
        Objects.requireNonNull(audience, "audience");
        if (audience.isBlank()) {
            throw new IllegalArgumentException("a downstream target needs an audience");
        }
        scopes = Set.copyOf(scopes);
    }
}
