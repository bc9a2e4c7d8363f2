package org.mcpidp.mcpserver;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.VerifierStats;

/**
 * A custom {@link TokenVerifier} for tests of what happens after verification (the gate's reporting, the server's
 * answer to a broken verifier): token checking itself is covered against the real Keycloak. Its issuer and policy are
 * placeholders ({@code https://idp.example.test}, audience {@code x}) that no request reaches.
 */
public final class StubVerifier implements TokenVerifier {

    private static final String ISSUER = "https://idp.example.test";

    private final Function<String, AuthInfo> answer;

    private StubVerifier(Function<String, AuthInfo> answer) {
        this.answer = answer;
    }

    /** Every token is {@code alice}, holding exactly {@code scopes}, valid for five minutes from the call. */
    public static StubVerifier fixedCaller(String... scopes) {
        return new StubVerifier(token -> new AuthInfo("alice", Optional.of("client"), ISSUER, Set.of("x"),
                Set.of(scopes), Set.of(), Instant.now().plusSeconds(300), Map.of()));
    }

    @Override
    public AuthInfo verify(String token) {
        return answer.apply(token);
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
        return List.of(TrustedIssuer.jwt(ISSUER).build());
    }

    @Override
    public AccessPolicy policy() {
        return AccessPolicy.builder().audiences("x").build();
    }
}
