package org.mcpidp.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether an issuer's introspection endpoint accepts this resource server's OWN client credentials. A 401 or 403 to
 * them is a configuration failure (a wrong or rotated secret, a disabled or public client), not a verdict on the
 * caller's token: every caller then gets {@link VerificationFailure.Unavailable} (503), the verifier is not ready,
 * and ONE line per episode says what is wrong (client id, issuer, status; never the secret). While refused, at most
 * one call every {@link #RETRY} goes out (a caller's, or the readiness probe); the first one that is answered 200
 * ends the episode.
 */
final class ClientStanding {

    private static final System.Logger LOG = System.getLogger(ClientStanding.class.getName());
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final VerificationFailure.Unavailable REFUSED = new VerificationFailure.Unavailable(
            "the identity provider refused this server's own credentials for checking tokens (a server "
                    + "configuration problem); try again later", Duration.ofSeconds(30));

    private final String issuer;
    private final String clientId;
    /** 0 while the credentials are accepted (or not yet tried), else the HTTP status that refused them. */
    private final AtomicInteger refusedWith = new AtomicInteger();
    private final AtomicLong nextCall = new AtomicLong();

    ClientStanding(String issuer, String clientId) {
        this.issuer = issuer;
        this.clientId = clientId;
    }

    boolean refused() {
        return refusedWith.get() != 0;
    }

    /**
     * True when a call may be sent: always, unless the credentials are refused; then once every {@link #RETRY}
     * (the caller that gets the slot finds out whether they work again).
     */
    boolean mayCall() {
        if (!refused()) {
            return true;
        }
        long next = nextCall.get();
        long now = System.nanoTime();
        return now - next >= 0 && nextCall.compareAndSet(next, now + RETRY.toNanos());
    }

    /** What a caller is told while the credentials are refused. */
    VerificationFailure.Unavailable failure() {
        return REFUSED;
    }

    /** The endpoint answered 401/403 to the credentials: logs once per episode, returns what the caller gets. */
    TokenVerificationException refusedBy(URI endpoint, int status) {
        nextCall.set(System.nanoTime() + RETRY.toNanos());
        if (refusedWith.getAndSet(status) == 0) {
            LOG.log(System.Logger.Level.ERROR, "The introspection endpoint {0} of issuer {1} refused this resource "
                    + "server''s client credentials (client id {2}, HTTP {3}): every token of this issuer is "
                    + "answered 503 and the server reports not ready until they are accepted. Check the client id "
                    + "and secret configured for this issuer.", endpoint, issuer, clientId, String.valueOf(status));
        }
        return new TokenVerificationException(REFUSED);
    }

    /** The endpoint answered 200: the credentials work (again). */
    void accepted() {
        int was = refusedWith.getAndSet(0);
        if (was != 0) {
            LOG.log(System.Logger.Level.INFO, "The introspection endpoint of issuer {0} accepts this resource "
                    + "server''s client credentials again (client id {1}); tokens are checked again", issuer, clientId);
        }
    }
}
