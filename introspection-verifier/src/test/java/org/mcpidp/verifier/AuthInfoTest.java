package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The display identity is read from the claims as issued, never invented; null claims never break the record. */
class AuthInfoTest {

    private static AuthInfo withClaims(Map<String, Object> claims) {
        return new AuthInfo("sub-1", Optional.of("client"), "https://idp.example", Set.of("aud"), Set.of(), Set.of(),
                Instant.EPOCH, claims);
    }

    @Test
    void whenPreferredUsernameIsPresentThenItWinsOverUsernameAndUpn() {
        AuthInfo info = withClaims(Map.of("preferred_username", "alice", "username", "kc-alice", "upn", "a@contoso"));
        assertThat(info.username()).contains("alice");
    }

    @Test
    void whenOnlyKeycloakIntrospectionUsernameIsPresentThenItIsUsed() {
        assertThat(withClaims(Map.of("username", "bob")).username()).contains("bob");
    }

    @Test
    void whenOnlyEntraUpnIsPresentThenItIsUsed() {
        assertThat(withClaims(Map.of("upn", "carol@contoso.example")).username()).contains("carol@contoso.example");
    }

    @Test
    void whenNoIdentityClaimsThenAllAbsent() {
        AuthInfo info = withClaims(Map.of("azp", "agent-reader"));
        assertThat(info.username()).isEmpty();
        assertThat(info.name()).isEmpty();
        assertThat(info.email()).isEmpty();
    }

    @Test
    void whenIdentityClaimsAreBlankOrNotStringsThenAbsent() {
        AuthInfo info = withClaims(Map.of("preferred_username", " ", "name", 42, "email", java.util.List.of("x")));
        assertThat(info.username()).isEmpty();
        assertThat(info.name()).isEmpty();
        assertThat(info.email()).isEmpty();
    }

    @Test
    void whenClaimsHoldJsonNullsThenTheyAreDropped() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("acr", null);
        claims.put("name", "Alice Example");
        AuthInfo info = withClaims(claims);
        assertThat(info.claims()).containsOnlyKeys("name");
        assertThat(info.name()).contains("Alice Example");
    }

    @Test
    void whenATokenIsAttachedThenItIsCarriedButNeverPrinted() {
        AuthInfo info = withClaims(Map.of()).withToken(CallerToken.of("secret-token-value"));

        assertThat(info.token()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("secret-token-value"));
        assertThat(info.toString() + info.token().get()).doesNotContain("secret-token-value");
        assertThat(info.withoutToken().token()).isEmpty();
        assertThat(info.withoutToken().subject()).isEqualTo("sub-1");
    }

    @Test
    void whenBuiltWithoutATokenThenItHasNone() {
        assertThat(withClaims(Map.of("a", "b")).token()).isEmpty();
        assertThat(CallerToken.of("x").matches("x")).isTrue();
        assertThat(CallerToken.of("x").matches("y")).isFalse();
    }
}
