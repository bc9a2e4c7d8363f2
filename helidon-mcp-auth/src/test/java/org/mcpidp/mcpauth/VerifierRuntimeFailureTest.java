package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.VerifierStats;

/** A TokenVerifier that throws instead of failing typed (a custom one, a bug) gets 503 from the server, never 500. */
class VerifierRuntimeFailureTest {

    @Test
    void whenTheVerifierThrowsARuntimeExceptionThen503WithoutTheExceptionInTheAnswer() {
        try (SdkTestServer server = SdkTestServer.builder().feature(feature -> feature.verifier(new Throwing()))
                .start()) {
            McpHttp.Reply reply = server.mcp.send(server.mcp.post("abc.def.ghi", Optional.empty(),
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").build());

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).isNotBlank();
            assertThat(reply.body()).contains("temporarily_unavailable").doesNotContain("Exception")
                    .doesNotContain("abc.def");
        }
    }

    /**
     * Every verify throws an {@link IllegalStateException}, like a broken custom verifier. The message never names
     * the token: a test output must not carry one, even a fake one (CI greps outputs for JWT-shaped strings).
     */
    private static final class Throwing implements TokenVerifier {
        @Override
        public AuthInfo verify(String token) {
            throw new IllegalStateException("broken verifier");
        }

        @Override
        public VerifierStats stats() {
            return new VerifierStats(0, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<TrustedIssuer> issuers() {
            return List.of(TrustedIssuer.jwt("https://idp.example.test").build());
        }

        @Override
        public AccessPolicy policy() {
            return AccessPolicy.builder().audiences("x").build();
        }
    }
}
