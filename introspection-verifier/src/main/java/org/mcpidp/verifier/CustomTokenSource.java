package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;

/** The caller's {@link CustomVerification}; a failure of that code is "unavailable", never a 500. */
final class CustomTokenSource implements TokenSource {

    private static final System.Logger LOG = System.getLogger(CustomTokenSource.class.getName());

    private final CustomVerification verification;

    CustomTokenSource(CustomVerification verification) {
        this.verification = verification;
    }

    @Override
    public Outcome authenticate(String token, SignedJWT jwt) {
        try {
            AuthInfo info = verification.verify(token);
            return info == null ? Outcome.invalid("token was not accepted") : new Outcome.Accepted(info);
        } catch (TokenVerificationException e) {
            return Outcome.of(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Custom verification failed with " + e.getClass().getName(), e);
            return Outcome.unavailable("token verification failed unexpectedly", Duration.ofSeconds(5));
        }
    }
}
