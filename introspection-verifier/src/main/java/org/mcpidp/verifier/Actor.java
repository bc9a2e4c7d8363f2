package org.mcpidp.verifier;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whom an access token acts for. {@link #PERSON} is the strict answer and the default: only claims that say so make a
 * token {@link #APPLICATION}, so an unknown token shape never gains what app-only tokens may do.
 */
public enum Actor {
    /** A person, through a client she authorized (a delegated token). */
    PERSON,
    /** The client application itself, with no person behind it (an app-only token: client credentials). */
    APPLICATION;

    private static final String KEYCLOAK_SERVICE_ACCOUNT = "service-account-";
    /** Keycloak's shortcut for the client_credentials grant in the token context of its {@code jti}. */
    private static final String KEYCLOAK_CLIENT_CREDENTIALS = "cc";

    /**
     * The actor of {@code caller}, from claims only its issuer writes (never from what a user can choose, like a
     * username):
     * <ul>
     *   <li>Entra ID (a {@code tid}): app-only when it has no {@code scp}, its {@code sub} is its {@code oid} (the
     *       calling service principal; a person's {@code sub} is pairwise, never her {@code oid}) and {@code idtyp},
     *       when present, is {@code app}; v1 and v2 alike;</li>
     *   <li>Keycloak (26.2 or newer; a token context in {@code jti}, or Keycloak's {@code typ} claim): app-only when
     *       {@code jti} says the token came from the client_credentials grant AND the user is the client's service
     *       account ({@code service-account-<client id>}). The name alone proves nothing: Keycloak lets a normal user
     *       be called {@code service-account-x} whenever client {@code x} has no service account. The grant in
     *       {@code jti} is written by Keycloak ({@code <session><token><grant>:<id>}, e.g. {@code trrtcc:...}) and
     *       only client credentials yields {@code cc}; a Keycloak token without it (an older Keycloak, a refreshed or
     *       exchanged service-account token) is a person's;</li>
     *   <li>any other issuer: RFC 9068 section 2.2, {@code sub} equal to the client id is the client itself;</li>
     *   <li>anything else: {@link #PERSON}.</li>
     * </ul>
     */
    static Actor of(AuthInfo caller) {
        Map<String, Object> claims = caller.claims();
        if (claims.get("tid") instanceof String) {
            return entra(caller.subject(), claims);
        }
        Optional<String> grant = keycloakGrant(claims);
        if (grant.isPresent() || claims.containsKey("typ")) {
            return grant.filter(KEYCLOAK_CLIENT_CREDENTIALS::equals).isPresent() && isServiceAccount(caller)
                    ? APPLICATION : PERSON;
        }
        return caller.clientId().filter(caller.subject()::equals).isPresent() ? APPLICATION : PERSON;
    }

    private static Actor entra(String subject, Map<String, Object> claims) {
        Object idtyp = claims.get("idtyp");
        boolean appOnly = (idtyp == null || "app".equals(idtyp))
                && !claims.containsKey("scp")
                && subject.equals(claims.get("oid"));
        return appOnly ? APPLICATION : PERSON;
    }

    /**
     * The grant of a Keycloak 26.2+ token: its {@code jti} is {@code <session type><token type><grant type>:<id>},
     * two letters each (see Keycloak's {@code DefaultTokenContextEncoderProvider}); empty for any other {@code jti}.
     */
    static Optional<String> keycloakGrant(Map<String, Object> claims) {
        if (claims.get("jti") instanceof String jti && jti.length() > 7 && jti.charAt(6) == ':') {
            for (int i = 0; i < 6; i++) {
                char c = jti.charAt(i);
                if (c < 'a' || c > 'z') {
                    return Optional.empty();
                }
            }
            return Optional.of(jti.substring(4, 6));
        }
        return Optional.empty();
    }

    private static boolean isServiceAccount(AuthInfo caller) {
        Optional<String> client = caller.clientId();
        return client.isPresent() && caller.username()
                .filter((KEYCLOAK_SERVICE_ACCOUNT + client.get().toLowerCase(Locale.ROOT))::equals).isPresent();
    }
}
