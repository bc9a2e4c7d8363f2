package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Keycloak's public endpoints as a client sees them (no admin token): the token endpoint and anonymous RFC 7591
 * registration. Answers are returned as status + JSON; nothing here prints a token.
 */
final class SelfServiceEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient();
    private final String realmUrl;

    SelfServiceEndpoints(String baseUrl, String realm) {
        this.realmUrl = baseUrl + "/realms/" + realm;
    }

    record Answer(int status, JsonNode body) {
        /** The granted scopes of a token answer, as Keycloak lists them. */
        java.util.Set<String> scopes() {
            return java.util.Set.of(body.path("scope").asText("").split(" "));
        }

        /** The realm roles the access token of a token answer carries ({@code realm_access.roles}; none when absent). */
        java.util.Set<String> realmRoles() {
            String[] parts = body.path("access_token").asText("").split("\\.");
            if (parts.length < 2) {
                throw new AssertionError("no access token in the answer (HTTP " + status + ", "
                        + body.path("error").asText() + ")");
            }
            try {
                JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
                java.util.Set<String> roles = new java.util.TreeSet<>();
                claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
                return roles;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Resource owner password grant: only for a test-only client the test itself creates. */
    Answer passwordGrant(String clientId, String username, String password, String scope) {
        return send(new Request.Builder().url(realmUrl + "/protocol/openid-connect/token").post(new FormBody.Builder()
                .add("grant_type", "password").add("client_id", clientId).add("username", username)
                .add("password", password).add("scope", scope).build()).build());
    }

    Answer clientCredentials(String clientId, String secret, String scope) {
        return send(new Request.Builder().url(realmUrl + "/protocol/openid-connect/token")
                .header("Authorization", okhttp3.Credentials.basic(clientId, secret))
                .post(new FormBody.Builder().add("grant_type", "client_credentials").add("scope", scope).build()).build());
    }

    /** Anonymous dynamic client registration with the given RFC 7591 metadata. */
    Answer register(Map<String, Object> metadata) {
        try {
            RequestBody body = RequestBody.create(JSON.writeValueAsBytes(metadata), MediaType.get("application/json"));
            return send(new Request.Builder().url(realmUrl + "/clients-registrations/openid-connect").post(body).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode discovery() {
        return send(new Request.Builder().url(realmUrl + "/.well-known/openid-configuration").build()).body();
    }

    private Answer send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            return new Answer(response.code(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.url(), e);
        }
    }
}
