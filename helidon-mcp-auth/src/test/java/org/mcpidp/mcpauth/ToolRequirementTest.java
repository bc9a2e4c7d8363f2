package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcpidp.verifier.Actor;
import org.mcpidp.verifier.AuthInfo;

class ToolRequirementTest {

    /** A person's token: a user subject, issued to a client she authorized. */
    private static AuthInfo caller(Set<String> scopes, Set<String> roles) {
        return new AuthInfo("sub", Optional.of("client"), "https://idp", Set.of("aud"), scopes, roles,
                Instant.now().plusSeconds(60), Map.of());
    }

    /** An app-only token (RFC 9068: the subject is the client itself). */
    private static AuthInfo application(Set<String> scopes, Set<String> roles) {
        AuthInfo caller = new AuthInfo("agent", Optional.of("agent"), "https://idp", Set.of("aud"), scopes, roles,
                Instant.now().plusSeconds(60), Map.of());
        assertThat(caller.actor()).isEqualTo(Actor.APPLICATION);
        return caller;
    }

    @Test
    void whenScopeRequirementThenAllScopesAreNeeded() {
        ToolRequirement requirement = ToolRequirement.scopes("a", "b");

        assertThat(requirement.allows(caller(Set.of("a"), Set.of()))).isFalse();
        assertThat(requirement.allows(caller(Set.of("a", "b"), Set.of()))).isTrue();
    }

    @Test
    void whenAnApplicationHasTheScopeOrTheRoleThenEitherIsEnough() {
        ToolRequirement requirement = ToolRequirement.scopes("mcp:admin").orAnyRole("admin");

        assertThat(requirement.allows(application(Set.of("mcp:admin"), Set.of()))).isTrue();
        assertThat(requirement.allows(application(Set.of("mcp:read"), Set.of("admin")))).isTrue();
        assertThat(requirement.allows(application(Set.of("mcp:read"), Set.of("user")))).isFalse();
    }

    @Test
    void whenAPersonHoldsTheRoleButConsentedToFewerScopesThenTheRoleDoesNotWidenHerToken() {
        ToolRequirement requirement = ToolRequirement.scopes("mcp:admin").orAnyRole("admin");

        assertThat(requirement.allows(caller(Set.of("mcp:read"), Set.of("admin")))).isFalse();
        assertThat(requirement.allows(caller(Set.of("mcp:admin"), Set.of("admin")))).isTrue();
    }

    @Test
    void whenARequirementNamesOnlyRolesThenAPersonsRoleCounts() {
        ToolRequirement requirement = new ToolRequirement(Set.of(), Set.of("auditor"));

        assertThat(requirement.allows(caller(Set.of("mcp:read"), Set.of("auditor")))).isTrue();
        assertThat(requirement.allows(caller(Set.of("mcp:read"), Set.of("user")))).isFalse();
    }

    @Test
    void whenAuthenticatedThenAnyCallerIsAllowed() {
        assertThat(ToolRequirement.anyAuthenticated().allows(caller(Set.of(), Set.of()))).isTrue();
    }

    @Test
    void whenChallengedThenExactlyTheNeededScopesAreNamed() {
        assertThat(ToolRequirement.scopes("mcp:write", "mcp:read").challengeScopes())
                .containsExactly("mcp:write", "mcp:read");
        assertThat(new ToolRequirement(Set.of(), Set.of("admin")).challengeScopes()).isEmpty();
    }
}
