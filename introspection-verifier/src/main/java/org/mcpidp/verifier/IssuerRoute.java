package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * One trusted issuer at run time: the chain its tokens pass before the policy, built once from its mode,
 * <pre>  [cache] -> checked (syntax, last line against runtime failures) -> live metadata -> JWT | introspection
 *  [cache] -> checked -> custom</pre>
 * and the issuer a token of it must carry.
 */
final class IssuerRoute {

    private static final System.Logger LOG = System.getLogger(IssuerRoute.class.getName());

    private final TrustedIssuer trusted;
    private final Optional<LiveMetadata> metadata;
    private final TokenSource uncached;
    private final TokenSource source;
    private final LongAdder loads;
    /** The issuer every token must carry, for a non-template issuer: no allocation per verification. */
    private final Optional<String> fixedIssuer;

    IssuerRoute(TrustedIssuer trusted, Optional<LiveMetadata> metadata, TokenSource leaf,
                Optional<VerificationCache> cache, LongAdder loads) {
        this.trusted = trusted;
        this.metadata = metadata;
        this.loads = loads;
        this.fixedIssuer = trusted.isTemplate() ? Optional.empty() : Optional.of(trusted.issuer());
        this.uncached = leaf;
        TokenSource checked = this::checked;
        this.source = cache.map(c -> c.around(checked, TokenDigest.prefix(trusted.issuer()))).orElse(checked);
    }

    TrustedIssuer trusted() {
        return trusted;
    }

    /** What this issuer's chain makes of the token, before the policy. */
    Outcome authenticate(String token, SignedJWT jwt) {
        return source.authenticate(token, jwt);
    }

    /** The issuer a token with this caller's {@code tid} must carry; empty when its tenant is not allowed. */
    Optional<String> expectedIssuer(AuthInfo info) {
        if (fixedIssuer.isPresent()) {
            return fixedIssuer;
        }
        return trusted.expectedIssuer(info.claims().get("tid") instanceof String tid ? Optional.of(tid) : Optional.empty());
    }

    /** True when what this issuer needs (metadata, key source) is loaded; tries to load it if not. */
    boolean ready() {
        return metadata.map(LiveMetadata::ready).orElse(true);
    }

    Optional<LiveMetadata> metadata() {
        return metadata;
    }

    /** The uncached path: a full syntax scan (a cache hit means the same bytes passed it before), then the source. */
    private Outcome checked(String token, SignedJWT jwt) {
        loads.increment();
        String problem = TokenSyntax.syntaxProblem(token);
        if (problem != null) {
            return Outcome.invalid(problem);
        }
        try {
            return uncached.authenticate(token, jwt);
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    /**
     * A failure no check foresaw (a library or a bug, not the token): logged here, once, with its class only (a
     * message may quote the token), and answered as unavailable (503) rather than blaming the token.
     */
    private static Outcome unexpected(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Token verification failed unexpectedly: " + e.getClass().getName()
                + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : ""));
        return Outcome.unavailable("token verification failed unexpectedly", Duration.ofSeconds(5));
    }
}
