package org.mcpidp.mcpauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mcpidp.verifier.BearerChallenge;
import org.mcpidp.verifier.Actor;
import org.mcpidp.verifier.AuthInfo;

/**
 * What a caller needs to call one tool: ALL of {@link #scopes()}, or ANY ONE of {@link #anyOfRoles()} (for a person's
 * token only when no scope is named: see {@link #allows}). Both empty
 * ({@link #anyAuthenticated()}) lets any authenticated caller call it; a tool says so explicitly. A scope
 * requirement is what a client can step up to (it is what the 403 challenge names); a role is
 * granted by an administrator and is an alternative, not a step-up path.
 *
 * @param scopes     scopes that together allow the call (in the order they are shown to clients)
 * @param anyOfRoles roles each of which alone allows the call (realm roles, or client roles of configured clients)
 */
public record ToolRequirement(Set<String> scopes, Set<String> anyOfRoles) {

    public ToolRequirement {
        scopes = immutableOrdered(scopes);
        anyOfRoles = immutableOrdered(anyOfRoles);
    }

    /** Any authenticated caller: the explicit way for a tool to declare open access. */
    public static ToolRequirement anyAuthenticated() {
        return new ToolRequirement(Set.of(), Set.of());
    }

    /** All of these scopes. */
    public static ToolRequirement scopes(String... scopes) {
        return new ToolRequirement(new LinkedHashSet<>(List.of(scopes)), Set.of());
    }

    /** The same scopes, or else any one of {@code roles}. */
    public ToolRequirement orAnyRole(String... roles) {
        return new ToolRequirement(scopes, new LinkedHashSet<>(List.of(roles)));
    }

    /**
     * True when {@code caller} may call the tool: it holds all of {@link #scopes()}, or one of {@link #anyOfRoles()}.
     * A role counts for an app-only token ({@link Actor#APPLICATION}: the client's own grant) and, for a person's
     * token, only where the requirement names no scope: a person's granted scopes bound what her token may do, so a
     * role she holds never widens what she consented to the client (Keycloak puts her realm roles into every token
     * whose scopes map them; Entra puts assigned app roles into delegated tokens).
     */
    public boolean allows(AuthInfo caller) {
        if (scopes.isEmpty() && anyOfRoles.isEmpty()) {
            return true;
        }
        if (!scopes.isEmpty() && caller.hasAllScopes(scopes)) {
            return true;
        }
        if (anyOfRoles.isEmpty() || !caller.hasAnyRole(anyOfRoles)) {
            return false;
        }
        return scopes.isEmpty() || caller.actor() == Actor.APPLICATION;
    }

    /**
     * The scopes a 403 challenge names: exactly what this requirement needs, all at once (MCP 2026-07-28: the client
     * adds them to what it already holds). A scope that is not an RFC 6749 scope-token cannot be written into a
     * challenge and is left out; a requirement of roles only names none.
     */
    public List<String> challengeScopes() {
        return scopes.stream().filter(BearerChallenge::isScopeToken).toList();
    }

    private static Set<String> immutableOrdered(Collection<String> values) {
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("a required scope or role must not be blank");
            }
        }
        // Set.copyOf would lose the declared order, which is the order clients see in challenges.
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
