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
    /** A browser's first step only: the authorization endpoint's answer, its redirect not followed. */
    private final OkHttpClient noRedirects = http.newBuilder().followRedirects(false).build();
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

    /** An authorization endpoint answer: 200 (the login page) or a redirect back to the client. */
    record Authorization(int status, String location) {
        /** The {@code error} parameter of a redirect back to the client, or empty. */
        String error() {
            okhttp3.HttpUrl url = location == null ? null : okhttp3.HttpUrl.parse(location);
            String error = url == null ? null : url.queryParameter("error");
            return error == null ? "" : error;
        }
    }

    /** An authorization request (the query {@code params}) as a browser sends it, its redirect not followed. */
    Authorization authorize(Map<String, String> params) {
        okhttp3.HttpUrl.Builder url = okhttp3.HttpUrl.get(realmUrl + "/protocol/openid-connect/auth").newBuilder();
        params.forEach(url::addQueryParameter);
        try (Response response = noRedirects.newCall(new Request.Builder().url(url.build()).build()).execute()) {
            return new Authorization(response.code(), response.header("Location"));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        }
    }

    /**
     * What a self-registered client may do with the registration access token it was given: read its full Keycloak
     * representation from the registration endpoint, change it with {@code edit}, and send it back (RFC 7592 style,
     * through Keycloak's own {@code default} provider). Returns the answer to the update.
     */
    Answer updateRegistered(String clientId, String registrationAccessToken,
                            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
        String url = realmUrl + "/clients-registrations/default/" + clientId;
        Answer current = send(new Request.Builder().url(url).header("Authorization", "Bearer " + registrationAccessToken)
                .build());
        if (current.status() != 200) {
            return current;
        }
        com.fasterxml.jackson.databind.node.ObjectNode rep = (com.fasterxml.jackson.databind.node.ObjectNode) current.body();
        String token = rep.path("registrationAccessToken").asText(registrationAccessToken);
        edit.accept(rep);
        try {
            RequestBody body = RequestBody.create(JSON.writeValueAsBytes(rep), MediaType.get("application/json"));
            return send(new Request.Builder().url(url).header("Authorization", "Bearer " + token).put(body).build());
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
