package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    @Test
    void whenNoErrorThenOnlyScopeAndMetadataAreWritten() {
        BearerChallenge challenge = BearerChallenge.builder()
                .resourceMetadata("https://mcp.example.com/.well-known/oauth-protected-resource/mcp")
                .scopes(List.of("mcp:read", "mcp:write"))
                .build();

        assertThat(challenge.headerValue()).isEqualTo("Bearer scope=\"mcp:read mcp:write\", "
                + "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void whenAllParametersThenTheyAreWrittenInRfcOrder() {
        BearerChallenge challenge = BearerChallenge.builder()
                .resourceMetadata("https://x/.well-known/oauth-protected-resource")
                .scopes(List.of("a", "b", "a"))
                .description("needs a")
                .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                .realm("mcp")
                .build();

        assertThat(challenge.headerValue()).isEqualTo("Bearer realm=\"mcp\", error=\"insufficient_scope\", "
                + "error_description=\"needs a\", scope=\"a b\", resource_metadata=\"https://x/.well-known/oauth-protected-resource\"");
    }

    @Test
    void whenDescriptionHasAQuoteThenItIsRejected() {
        assertThatThrownBy(() -> BearerChallenge.builder().error(BearerChallenge.Error.INVALID_TOKEN)
                .description("bad\", evil=\"1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenDescriptionHasALineBreakThenItIsRejected() {
        assertThatThrownBy(() -> BearerChallenge.builder().description("a\r\nSet-Cookie: x=y"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenScopeHasASpaceOrQuoteThenItIsRejected() {
        assertThatThrownBy(() -> BearerChallenge.builder().scopes(List.of("a b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BearerChallenge.builder().scopes(List.of("a\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenUntrustedTextIsMadeSafeThenForbiddenCharactersBecomeQuestionMarks() {
        assertThat(BearerChallenge.safeDescription("a\"b\\c\r\nd\u00e9")).isEqualTo("a?b?c??d?");
        assertThat(BearerChallenge.safeDescription("x".repeat(500))).hasSize(200);
    }

    @Test
    void whenDescriptionWithoutErrorThenBuildFails() {
        assertThatThrownBy(() -> BearerChallenge.builder().description("x").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void whenTheVerifierRefusesThenStatusAndChallengeFollowTheFailure() {
        VerificationFailure invalid = new VerificationFailure.InvalidToken("token \"expired\"");
        VerificationFailure scope = new VerificationFailure.InsufficientScope(
                java.util.Set.of("mcp:admin"), "needs mcp:admin");
        VerificationFailure down = new VerificationFailure.Unavailable("no IdP", java.time.Duration.ofSeconds(3));

        assertThat(BearerChallenge.status(invalid)).isEqualTo(401);
        assertThat(BearerChallenge.status(scope)).isEqualTo(403);
        assertThat(BearerChallenge.status(down)).isEqualTo(503);
        assertThat(BearerChallenge.forFailure(invalid, BearerChallenge.builder().realm("api")).orElseThrow()
                .headerValue()).isEqualTo("Bearer realm=\"api\", error=\"invalid_token\", "
                + "error_description=\"token ?expired?\"");
        assertThat(BearerChallenge.forFailure(scope, BearerChallenge.builder().scopes(java.util.List.of("mcp:admin")))
                .orElseThrow().headerValue()).isEqualTo("Bearer error=\"insufficient_scope\", "
                + "error_description=\"needs mcp:admin\", scope=\"mcp:admin\"");
        assertThat(BearerChallenge.forFailure(down, BearerChallenge.builder())).isEmpty();
    }

    @Test
    void whenClaimsAreNotBase64ThenTheyCannotEnterTheHeader() {
        assertThat(BearerChallenge.builder().error(BearerChallenge.Error.INSUFFICIENT_CLAIMS).claims("eyJhIjoxfQ==")
                .build().headerValue()).isEqualTo("Bearer error=\"insufficient_claims\", claims=\"eyJhIjoxfQ==\"");
        assertThatThrownBy(() -> BearerChallenge.builder().claims("x\", error=\"y"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
