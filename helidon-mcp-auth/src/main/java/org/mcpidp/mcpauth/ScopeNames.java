package org.mcpidp.mcpauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Scopes as a client must ask the authorization server for them: with the configured prefix (Entra ID names a
 * delegated scope {@code api://<API appId>/mcp:read}, while its tokens carry {@code mcp:read} in {@code scp}).
 * A value that already has a scheme ({@code ://}) is left as it is.
 */
record ScopeNames(String prefix) {

    List<String> requestable(Collection<String> scopes) {
        if (prefix.isEmpty()) {
            return List.copyOf(scopes);
        }
        List<String> named = new ArrayList<>(scopes.size());
        for (String scope : scopes) {
            named.add(scope.contains("://") ? scope : prefix + scope);
        }
        return named;
    }
}
