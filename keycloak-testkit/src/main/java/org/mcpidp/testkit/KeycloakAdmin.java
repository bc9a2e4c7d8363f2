package org.mcpidp.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A thin client for Keycloak's Admin REST API as the master realm's bootstrap admin: enough for tests to set up
 * realms, clients and scopes. Paths are relative to {@code /admin/realms}. Failures throw with Keycloak's answer.
 *
 * <p>Why not Keycloak's {@code keycloak-admin-client}, which idp-provisioning uses: the tests use this client to
 * check what provisioning wrote, and they assert on the JSON Keycloak itself answers (attribute maps, protocol
 * mappers, default scopes) one path at a time. Checking through the same typed library that wrote it would hide a
 * mapping mistake in that layer, and would put RESTEasy and Jakarta REST on the class path of every module that uses
 * the test kit. Four verbs over OkHttp and Jackson, both already here, are all the tests need.
 */
public final class KeycloakAdmin {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final String baseUrl;
    private final String user;
    private final String password;
    private final OkHttpClient http = new OkHttpClient.Builder()
            // the read timeout too: OkHttp's 10 s default cut realm creation on a busy machine short of the call's 30 s
            .readTimeout(Duration.ofSeconds(30))
            .callTimeout(Duration.ofSeconds(30))
            .build();
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    KeycloakAdmin(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The HTTP client the kit uses; tests may derive their own from it ({@code newBuilder()}). */
    public OkHttpClient http() {
        return http;
    }

    public JsonNode get(String path) {
        return send(request(path).get().build()).orElseThrow();
    }

    /** POSTs JSON and returns the id of what was created (the last segment of {@code Location}), if any. */
    public Optional<String> post(String path, Object body) {
        Request request = request(path).post(json(body)).build();
        try (Response response = http.newCall(request).execute()) {
            check(request, response);
            String location = response.header("Location");
            return Optional.ofNullable(location).map(l -> l.substring(l.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.url(), e);
        }
    }

    public void put(String path, Object body) {
        send(request(path).put(json(body)).build());
    }

    public void delete(String path) {
        send(request(path).delete().build());
    }

    private Optional<JsonNode> send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            check(request, response);
            String body = response.body().string();
            return body.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.url(), e);
        }
    }

    private static void check(Request request, Response response) throws IOException {
        if (!response.isSuccessful()) {
            throw new IllegalStateException(request.method() + " " + request.url().encodedPath() + " -> HTTP "
                    + response.code() + ": " + response.peekBody(2048).string());
        }
    }

    private Request.Builder request(String path) {
        return new Request.Builder()
                .url(baseUrl + "/admin/realms" + (path.isEmpty() || path.startsWith("/") ? path : "/" + path))
                .header("Authorization", "Bearer " + adminToken());
    }

    private static RequestBody json(Object body) {
        try {
            return RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized String adminToken() {
        if (token == null || Instant.now().isAfter(tokenExpires)) {
            Request request = new Request.Builder()
                    .url(baseUrl + "/realms/master/protocol/openid-connect/token")
                    .post(new FormBody.Builder()
                            .add("grant_type", "password")
                            .add("client_id", "admin-cli")
                            .add("username", user)
                            .add("password", password)
                            .build())
                    .build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    throw new IllegalStateException("admin login failed: HTTP " + response.code());
                }
                JsonNode body = JSON.readTree(response.body().string());
                token = body.get("access_token").asText();
                tokenExpires = Instant.now().plusSeconds(Math.max(5, body.get("expires_in").asLong() - 10));
            } catch (IOException e) {
                throw new UncheckedIOException("admin login at " + request.url(), e);
            }
        }
        return token;
    }

    static Map<String, Object> map(Object... keyValues) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
