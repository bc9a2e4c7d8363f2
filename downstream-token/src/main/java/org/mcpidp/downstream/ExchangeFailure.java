package org.mcpidp.downstream;

import java.util.Objects;
import java.util.Optional;

/**
 * Why no downstream token was issued, typed so a server can answer the client in terms it understands.
 *
 * @param reason what went wrong
 * @param detail a sentence for logs and error answers (never a token or secret)
 * @param claims for {@link Reason#CLAIMS_CHALLENGE}: the claims value the IdP demands (Entra Conditional Access),
 *               to be passed on in {@code WWW-Authenticate: Bearer error="insufficient_claims", claims="..."}
 */
public record ExchangeFailure(Reason reason, String detail, Optional<String> claims) {

    public ExchangeFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(claims, "claims");
    }

    public static ExchangeFailure of(Reason reason, String detail) {
        return new ExchangeFailure(reason, detail, Optional.empty());
    }

    public enum Reason {
        /** The caller's token does not carry the exchanging client in {@code aud} (Keycloak: 403 access_denied). */
        NOT_IN_AUDIENCE,
        /**
         * The caller's token comes from an issuer (Keycloak realm) or Entra tenant this exchange is not configured
         * for: refused before any call, so a token never reaches another issuer's token endpoint.
         */
        ISSUER_NOT_ALLOWED,
        /** An app-only (client credentials) token: Entra's On-Behalf-Of works for user tokens only. */
        APP_ONLY_TOKEN,
        /** The user (or an admin) has not consented to the downstream API (Entra AADSTS65001). */
        CONSENT_REQUIRED,
        /** Conditional Access wants more (Entra interaction_required with a claims value): see {@link #claims}. */
        CLAIMS_CHALLENGE,
        /** A scope the caller's token does not grant, or the target does not allow. */
        SCOPE_NOT_ALLOWED,
        /** The IdP refused the exchange for another reason (invalid_grant, invalid_client, ...). */
        REJECTED,
        /** The IdP could not be reached or answered 5xx / garbage / too slowly. */
        UNAVAILABLE
    }
}
