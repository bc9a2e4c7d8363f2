package org.mcpidp.mcpauth;

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
}
