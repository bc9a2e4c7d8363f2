package org.mcpidp.provisioning.keycloak;

import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * How a token gets the audience of the one MCP server it is for, chosen per plan from what the running Keycloak has.
 * Both schemes start from the same client scopes: each MCP scope's two audience mappers put its server's URL and
 * client id into {@code aud}, and with several servers a client policy refuses a request that asks for scopes of two
 * servers at once ({@link OneServerPolicyReconciler}), so a token is for one server only. What differs is what
 * Keycloak 26.7.3 does with the RFC 8707 {@code resource} parameter (seen on the real server):
 *
 * <ul>
 *   <li>{@link #AUDIENCE_MAPPERS}: without the experimental feature {@code resource-indicators} Keycloak ignores
 *   {@code resource} whatever its value; the audience follows the scopes asked for.</li>
 *   <li>{@link #RESOURCE_INDICATORS}: with it ({@code kc.sh --features=resource-indicators}), a token request's
 *   {@code resource} must equal the {@code resource_url} attribute of a client already in the token's audience (the
 *   server's client, through its scopes), else 400 {@code invalid_target} (an unknown URL, a trailing slash, or a
 *   resource whose scopes were not asked for); the access token's {@code aud} is then that URL alone. Three sides of
 *   26.7.3 need settings: client credentials with {@code resource} fail with HTTP 500 (a null refresh token in
 *   {@code ResourceIndicatorsPostProcessor}) unless the agent gets refresh tokens for that grant
 *   ({@code client_credentials.use_refresh_token}); introspection refuses a client that is not in the narrowed
 *   {@code aud}, so the server's client gets {@code allow.token.introspection.without.audience.check} (its verifier
 *   checks the audience itself, and the introspection answer lists the audiences again); and standard token
 *   exchange refuses such a token ("Client is not within the token audience"), so a tenant with downstream APIs
 *   keeps the audience mappers.</li>
 * </ul>
 */
enum AudienceScheme {

    AUDIENCE_MAPPERS,
    RESOURCE_INDICATORS;

    /** The feature's name in {@code /admin/serverinfo}. */
    static final String FEATURE = "RESOURCE_INDICATORS";
    /** Client attribute {@code ResourceIndicatorsPostProcessor} matches the requested resource against. */
    static final String RESOURCE_URL_ATTRIBUTE = "resource_url";
    static final String INTROSPECTION_ATTRIBUTE = "allow.token.introspection.without.audience.check";
    static final String CLIENT_CREDENTIALS_REFRESH_ATTRIBUTE = "client_credentials.use_refresh_token";

    /** Resource indicators where the server has them and nothing needs the server's client in {@code aud}. */
    static AudienceScheme choose(TenantSpec spec, boolean featureEnabled) {
        return featureEnabled && spec.downstream().isEmpty() ? RESOURCE_INDICATORS : AUDIENCE_MAPPERS;
    }

    /** What a plan says about the scheme it uses, and why. */
    static String note(TenantSpec spec, boolean featureEnabled) {
        String several = spec.servers().size() > 1 ? "; a request for scopes of two servers is refused, so each "
                + "token is for one server" : "";
        if (choose(spec, featureEnabled) == RESOURCE_INDICATORS) {
            return "token audience: resource indicators (Keycloak feature resource-indicators, EXPERIMENTAL): a token "
                    + "asked for with resource=<server URL> carries that URL alone in aud, an unknown resource is "
                    + "invalid_target" + several;
        }
        String why = featureEnabled ? "resource indicators are on, but downstream token exchange needs the MCP "
                + "server's client in aud, which they remove" : "this Keycloak runs without the feature "
                + "resource-indicators, so it ignores the resource parameter";
        return "token audience: audience mappers (" + why + "): a token carries the URL and client id of the server "
                + "whose scopes it asked for" + several;
    }
}
