package org.mcpidp.downstream.entra;

import static org.mcpidp.testkit.EntraTokenEndpoint.JSON;
import static org.mcpidp.testkit.EntraTokenEndpoint.errorBody;
import static org.mcpidp.testkit.EntraTokenEndpoint.form;
import static org.mcpidp.testkit.EntraTokenEndpoint.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import org.mcpidp.testkit.EntraTokenEndpoint;

/**
 * A local STAND-IN for Entra ID's token endpoint answering the On-Behalf-Of grant, not Microsoft: an HTTPS
 * MockWebServer (locally generated certificate, as idp-provisioning's EntraTokenStandIn for client credentials)
 * following the wire format Microsoft documents for the middle tier's request
 * ({@code POST /{tenant}/oauth2/v2.0/token}, for each tenant it serves, recording which one was asked, {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer},
 * {@code requested_token_use=on_behalf_of}, {@code assertion}, {@code scope}, {@code client_id} +
 * {@code client_secret}) and for its answers: success ({@code token_type, scope, expires_in, ext_expires_in,
 * access_token, refresh_token}) and errors ({@code error, error_description "AADSTS...", error_codes, timestamp,
 * trace_id, correlation_id}, plus {@code suberror} for consent and {@code claims} for Conditional Access).
 * Like Entra it checks the assertion's {@code aud} (the middle tier's API) and refuses app-only assertions
 * ({@code idtyp=app}, or no {@code scp} and {@code oid == sub}).
 * It never prints what it receives.
 */
final class EntraOboStandIn implements AutoCloseable {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** How the next token requests are answered. */
    enum Answer { ISSUE, CONSENT_REQUIRED, CLAIMS_CHALLENGE, SERVER_ERROR, SLOW }

    /** A Conditional Access claims challenge as Entra sends it (a JSON object, as a string). */
    static final String CLAIMS = "{\"access_token\":{\"polids\":{\"essential\":true,\"values\":"
            + "[\"9ab03e19-ed42-4168-b6b7-7001fb3e933a\"]}}}";

    private final MockWebServer server = new MockWebServer();
    private final HandshakeCertificates clientTls;
    private final Set<String> tenants;
    private final String clientId;
    private final String clientSecret;
    private final String apiAudience;
    private volatile Answer answer = Answer.ISSUE;
    private final Map<String, String> issuedScopes = new ConcurrentHashMap<>();
    private final List<Map<String, String>> forms = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requestTenants = Collections.synchronizedList(new ArrayList<>());

    /** Serves the token endpoint of each of {@code tenants} ({@code /<tenant>/oauth2/v2.0/token}); others get 404. */
    EntraOboStandIn(Set<String> tenants, String clientId, String clientSecret, String apiAudience) {
        this.tenants = Set.copyOf(tenants);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.apiAudience = apiAudience;
        // port 443 on a random loopback address when it can be bound (see EntraTokenEndpoint.listen: msal4j's cache)
        EntraTokenEndpoint.Listener listener = EntraTokenEndpoint.listen();
        clientTls = listener.clientTls();
        server.useHttps(listener.serverTls().sslSocketFactory());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start(listener.address().getAddress(), listener.address().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean onDefaultPort() {
        return server.getPort() == 443;
    }

    String authorityHost() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    SSLSocketFactory trust() {
        return clientTls.sslSocketFactory();
    }

    void answer(Answer next) {
        this.answer = next;
    }

    long tokenRequests() {
        return forms.size();
    }

    /** The tenant in the path of the last token request (the authority msal4j used). */
    String lastTenant() {
        synchronized (requestTenants) {
            return requestTenants.get(requestTenants.size() - 1);
        }
    }

    /** The last request's form without the assertion and the secret (those are only compared, see below). */
    Map<String, String> lastForm() {
        synchronized (forms) {
            Map<String, String> form = new HashMap<>(forms.get(forms.size() - 1));
            form.remove("assertion");
            form.remove("client_secret");
            return form;
        }
    }

    boolean lastAssertionWas(String token) {
        synchronized (forms) {
            return token.equals(forms.get(forms.size() - 1).get("assertion"));
        }
    }

    /** The scope the stand-in put into this issued token's answer, or null if it did not issue it. */
    String scopeOf(String accessToken) {
        return issuedScopes.get(accessToken);
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String[] segments = path.split("/");
        if (!"POST".equals(request.getMethod()) || segments.length != 5 || !tenants.contains(segments[1])
                || !path.equals("/" + segments[1] + "/oauth2/v2.0/token")) {
            return error(404, "invalid_request", 90002, "AADSTS90002: Tenant or endpoint not found.", null, null);
        }
        Map<String, String> form = form(request);
        requestTenants.add(segments[1]);
        forms.add(form);
        if (!JWT_BEARER.equals(form.get("grant_type")) || !"on_behalf_of".equals(form.get("requested_token_use"))) {
            return error(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.", null, null);
        }
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return error(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.", null, null);
        }
        JWTClaimsSet assertion;
        try {
            assertion = JWTParser.parse(form.getOrDefault("assertion", "")).getJWTClaimsSet();
        } catch (Exception e) {
            return error(400, "invalid_request", 50027, "AADSTS50027: JWT token is invalid or malformed.", null, null);
        }
        if (!assertion.getAudience().contains(apiAudience)) {
            return error(400, "invalid_grant", 50013, "AADSTS50013: Assertion failed signature validation. "
                    + "[Reason - The key was not found., Thumbprint of key used by client: 'x']", null, null);
        }
        boolean appOnly = "app".equals(assertion.getClaim("idtyp"))
                || assertion.getClaim("scp") == null && assertion.getSubject().equals(assertion.getClaim("oid"));
        if (appOnly) {
            return error(400, "invalid_request", 7000114, "AADSTS7000114: Application '" + clientId
                    + "' is not allowed to make application on-behalf-of calls.", null, null);
        }
        return switch (answer) {
            case CONSENT_REQUIRED -> error(400, "invalid_grant", 65001, "AADSTS65001: The user or administrator has "
                    + "not consented to use the application with ID '" + clientId + "' named 'mcp-server'. Send an "
                    + "interactive authorization request for this user and resource.", "consent_required", null);
            case CLAIMS_CHALLENGE -> error(400, "interaction_required", 50079, "AADSTS50079: Due to a configuration "
                    + "change made by your administrator, or because you moved to a new location, you must enroll in "
                    + "multifactor authentication.", null, CLAIMS);
            case SERVER_ERROR -> error(503, "temporarily_unavailable", 90033, "AADSTS90033: A transient error has "
                    + "occurred. Please try again.", null, null);
            case ISSUE -> issue(form);
            case SLOW -> new MockResponse.Builder().headersDelay(5, java.util.concurrent.TimeUnit.SECONDS).code(200)
                    .setHeader("Content-Type", "application/json").body("{}").build();
        };
    }

    private MockResponse issue(Map<String, String> form) {
        // msal4j adds openid, profile and offline_access; the access token is for the API's scopes only.
        List<String> asked = new ArrayList<>(List.of(form.getOrDefault("scope", "").trim().split("\\s+")));
        asked.removeAll(Set.of("openid", "profile", "offline_access"));
        String scope = String.join(" ", asked);
        String token = "standin-obo." + UUID.randomUUID();
        issuedScopes.put(token, scope);
        ObjectNode body = JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("scope", scope);
        body.put("expires_in", 3599);
        body.put("ext_expires_in", 3599);
        body.put("access_token", token);
        body.put("refresh_token", "standin-rt." + UUID.randomUUID());
        return json(200, body);
    }

    private static MockResponse error(int status, String error, int code, String description, String suberror,
                                      String claims) {
        ObjectNode body = errorBody(error, code, description);
        if (suberror != null) {
            body.put("suberror", suberror);
        }
        if (claims != null) {
            body.put("claims", claims);
        }
        return json(status, body);
    }

    @Override
    public void close() {
        server.close();
    }
}
