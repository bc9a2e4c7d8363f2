package org.mcpidp.verifier;

import java.util.Locale;
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

    /**
     * The actor of {@code caller}, from its claims:
     * <ul>
     *   <li>Entra ID's {@code idtyp} ({@code app} or {@code user}) when present; else an Entra token ({@code tid}) is
     *       app-only when it carries no {@code scp} and its {@code sub} is its {@code oid} (the service principal), else
 *       delegated;</li>
     *   <li>RFC 9068: {@code sub} equal to {@code client_id} is the client itself;</li>
     *   <li>Keycloak: the service-account user of the token's client ({@code service-account-<client id>}, Keycloak's
     *       reserved name) is the client itself;</li>
     *   <li>anything else: {@link #PERSON}.</li>
     * </ul>
     */
    static Actor of(AuthInfo caller) {
        Object idtyp = caller.claims().get("idtyp");
        if ("app".equals(idtyp)) {
            return APPLICATION;
        }
        if ("user".equals(idtyp)) {
            return PERSON;
        }
        if (caller.claims().get("tid") instanceof String) {
            // Entra: a delegated token always has scp; an app-only one has none, and its sub is the service
            // principal's object id (a person's sub is pairwise, never her oid)
            boolean appOnly = !(caller.claims().get("scp") instanceof String)
                    && caller.subject().equals(caller.claims().get("oid"));
            return appOnly ? APPLICATION : PERSON;
        }
        Optional<String> client = caller.clientId();
        if (client.isEmpty()) {
            return PERSON;
        }
        if (caller.subject().equals(client.get())) {
            return APPLICATION;
        }
        String serviceAccount = KEYCLOAK_SERVICE_ACCOUNT + client.get().toLowerCase(Locale.ROOT);
        return caller.username().filter(serviceAccount::equals).isPresent() ? APPLICATION : PERSON;
    }
}
