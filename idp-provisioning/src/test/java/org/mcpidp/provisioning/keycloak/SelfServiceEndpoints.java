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

    /** Client credentials naming an RFC 8707 {@code resource}, as the MCP SDKs send it; no scope when empty. */
    Answer clientCredentials(String clientId, String secret, String scope, String resource) {
        FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials").add("resource", resource);
        if (!scope.isEmpty()) {
            form.add("scope", scope);
        }
        return send(new Request.Builder().url(realmUrl + "/protocol/openid-connect/token")
                .header("Authorization", okhttp3.Credentials.basic(clientId, secret)).post(form.build()).build());
    }

    /**
     * A person's authorization code flow with PKCE (S256) and an RFC 8707 {@code resource} on both requests, as an MCP
     * client runs it: the authorization request, Keycloak's login form filled in with {@code username} and
     * {@code password}, the code redeemed at the token endpoint. Not a real browser (the login page is read as HTML and
     * its form posted): what is under test is the token Keycloak issues, not the page. Its cookie jar sends Keycloak's
     * Secure cookies over http to the loopback server, as Chromium does for loopback. An authorization request that
     * Keycloak refuses comes back as an answer with status 302 and the redirect's {@code error} in the body.
     */
    Answer authorizationCode(String clientId, String redirectUri, String username, String password, String scope,
                             String resource) {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String verifier = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge;
        try {
            challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                    .getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OkHttpClient browser = noRedirects.newBuilder().cookieJar(new LoopbackCookieJar()).build();
        okhttp3.HttpUrl auth = okhttp3.HttpUrl.get(realmUrl + "/protocol/openid-connect/auth").newBuilder()
                .addQueryParameter("client_id", clientId).addQueryParameter("redirect_uri", redirectUri)
                .addQueryParameter("response_type", "code").addQueryParameter("scope", scope)
                .addQueryParameter("state", "s-" + verifier.substring(0, 8))
                .addQueryParameter("code_challenge", challenge).addQueryParameter("code_challenge_method", "S256")
                .addQueryParameter("resource", resource).build();
        String page = null;
        okhttp3.HttpUrl next = auth;
        // A browser follows Keycloak's own redirects (e.g. to its login actions) until a page or the client's redirect.
        for (int hop = 0; page == null; hop++) {
            try (Response response = browser.newCall(new Request.Builder().url(next).build()).execute()) {
                String location = response.header("Location");
                if (response.code() == 200) {
                    page = response.body().string();
                } else if (location != null && !location.startsWith(redirectUri) && hop < 5) {
                    next = next.resolve(location);
                } else {
                    return redirectError(response);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("GET " + next, e);
            }
        }
        java.util.regex.Matcher form = java.util.regex.Pattern
                .compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(page);
        if (!form.find()) {
            throw new AssertionError("no login form on Keycloak's page");
        }
        String action = form.group(1).replace("&amp;", "&");
        String code;
        try (Response response = browser.newCall(new Request.Builder().url(action).post(new FormBody.Builder()
                .add("username", username).add("password", password).add("credentialId", "").build()).build()).execute()) {
            okhttp3.HttpUrl back = response.header("Location") == null ? null : okhttp3.HttpUrl.parse(response.header("Location"));
            code = back == null ? null : back.queryParameter("code");
            if (code == null) {
                return back == null ? new Answer(response.code(), JSON.createObjectNode().put("error", "login_failed"))
                        : redirectError(response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST login form", e);
        }
        return send(new Request.Builder().url(realmUrl + "/protocol/openid-connect/token").post(new FormBody.Builder()
                .add("grant_type", "authorization_code").add("code", code).add("redirect_uri", redirectUri)
                .add("client_id", clientId).add("code_verifier", verifier).add("resource", resource).build()).build());
    }

    private static Answer redirectError(Response response) {
        okhttp3.HttpUrl back = response.header("Location") == null ? null : okhttp3.HttpUrl.parse(response.header("Location"));
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        body.put("error", back == null || back.queryParameter("error") == null ? "http_" + response.code()
                : back.queryParameter("error"));
        if (back != null && back.queryParameter("error") == null) {
            body.put("location", back.newBuilder().query(null).build().toString());
        }
        if (back != null && back.queryParameter("error_description") != null) {
            body.put("error_description", back.queryParameter("error_description"));
        }
        return new Answer(response.code(), body);
    }

    /** Keeps cookies per host and sends them back, Secure ones included, to the loopback Keycloak over http. */
    private static final class LoopbackCookieJar implements okhttp3.CookieJar {
        private final java.util.Map<String, okhttp3.Cookie> cookies = new java.util.LinkedHashMap<>();

        @Override
        public synchronized void saveFromResponse(okhttp3.HttpUrl url, java.util.List<okhttp3.Cookie> received) {
            received.forEach(c -> cookies.put(c.name(), c));
        }

        @Override
        public synchronized java.util.List<okhttp3.Cookie> loadForRequest(okhttp3.HttpUrl url) {
            return cookies.values().stream().filter(c -> url.host().equals(c.domain())
                    && url.encodedPath().startsWith(c.path())).toList();
        }
    }

    /** RFC 7662 introspection as a confidential client (the token is sent, never printed). */
    Answer introspect(String clientId, String secret, String token) {
        return send(new Request.Builder().url(realmUrl + "/protocol/openid-connect/token/introspect")
                .header("Authorization", okhttp3.Credentials.basic(clientId, secret))
                .post(new FormBody.Builder().add("token", token).build()).build());
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
