package org.mcpidp.provisioning.entra;

import static org.mcpidp.testkit.EntraTokenEndpoint.JSON;
import static org.mcpidp.testkit.EntraTokenEndpoint.error;
import static org.mcpidp.testkit.EntraTokenEndpoint.form;
import static org.mcpidp.testkit.EntraTokenEndpoint.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
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

/**
 * A local STAND-IN for the Entra ID token endpoint, not Microsoft: an HTTPS MockWebServer (locally generated
 * certificate) answering {@code POST /{tenant}/oauth2/v2.0/token} for the client-credentials grant with the JSON shape
 * Microsoft documents ({@code token_type, expires_in, ext_expires_in, access_token}) and its documented error shape
 * ({@code error, error_description "AADSTS...", error_codes, timestamp, trace_id, correlation_id}). It also serves
 * {@code /{tenant}/v2.0/.well-known/openid-configuration}, although msal4j 1.26.0 does not ask for it for an AAD
 * authority with instance discovery off (it builds the token URL itself); tests assert which paths were requested.
 */
public final class EntraTokenStandIn implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final String tenant;
    private final String clientId;
    private final String clientSecret;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param address where to listen; port 443 when it could be bound (see {@link EntraStandIns}), else any port
     */
    EntraTokenStandIn(SSLSocketFactory tls, java.net.InetSocketAddress address, String tenant, String clientId,
                      String clientSecret) throws IOException {
        this.tenant = tenant;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        server.useHttps(tls);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start(address.getAddress(), address.getPort());
    }

    /**
     * Whether the authority URL has no port. msal4j 1.26.0 keys cached tokens by the authority's host without the
     * port but looks them up by host:port, so with a port every acquireToken goes to the token endpoint.
     */
    boolean onDefaultPort() {
        return server.getPort() == 443;
    }

    /** {@code https://127.x.y.z} (or {@code https://localhost:<port>}): what ENTRA_AUTHORITY_HOST points at. */
    String authorityHost() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    boolean issued(String token) {
        return issued.contains(token);
    }

    /** "METHOD path" of every request received, in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    long tokenRequests() {
        return requests().stream().filter(r -> r.endsWith("/oauth2/v2.0/token")).count();
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        requests.add(request.getMethod() + " " + path);
        if (request.getMethod().equals("GET") && path.equals("/" + tenant + "/v2.0/.well-known/openid-configuration")) {
            return json(200, metadata());
        }
        if (!request.getMethod().equals("POST") || !path.equals("/" + tenant + "/oauth2/v2.0/token")) {
            return error(404, "invalid_request", 90002, "AADSTS90002: Tenant or endpoint not found.");
        }
        Map<String, String> form = form(request);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.");
        }
        if (!clientId.equals(form.get("client_id"))) {
            return error(400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"
                    + form.get("client_id") + "' was not found in the directory.");
        }
        if (!clientSecret.equals(form.get("client_secret"))) {
            return error(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID.");
        }
        // msal4j adds the OIDC scopes openid, profile and offline_access; Entra ignores them for this grant.
        Set<String> scopes = new java.util.HashSet<>(List.of(form.getOrDefault("scope", "").trim().split("\\s+")));
        scopes.removeAll(Set.of("openid", "profile", "offline_access"));
        if (!scopes.equals(Set.of("https://graph.microsoft.com/.default"))) {
            return error(400, "invalid_scope", 1002012, "AADSTS1002012: The provided value for scope " + form.get("scope")
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed.");
        }
        String token = "standin." + UUID.randomUUID();
        issued.add(token);
        ObjectNode body = JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", 3599);
        body.put("ext_expires_in", 3599);
        body.put("access_token", token);
        return json(200, body);
    }

    private ObjectNode metadata() {
        String base = authorityHost() + "/" + tenant;
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("token_endpoint", base + "/oauth2/v2.0/token");
        metadata.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        metadata.put("jwks_uri", authorityHost() + "/" + tenant + "/discovery/v2.0/keys");
        metadata.put("issuer", "https://login.microsoftonline.com/" + tenant + "/v2.0");
        metadata.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        metadata.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        metadata.putArray("id_token_signing_alg_values_supported").add("RS256");
        metadata.put("tenant_region_scope", "EU");
        return metadata;
    }

    @Override
    public void close() {
        server.close();
    }
}
