package org.mcpidp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.UUID;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A {@link TestRealm}'s token and revocation endpoints, used as a client uses them (HTTP Basic client
 * authentication), where the rest of {@code TestRealm} sets the realm up through the admin API. Tokens are secrets:
 * an error names the client and the HTTP status, and the body Keycloak sent (its error, never a token).
 */
final class RealmTokenEndpoint {

    private final OkHttpClient http;
    private final String tokenUrl;
    private final String revocationUrl;

    RealmTokenEndpoint(OkHttpClient http, String tokenUrl, String revocationUrl) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.revocationUrl = revocationUrl;
    }

    /** A client_credentials token; {@code scope} may be empty. */
    TestRealm.Tokens clientCredentials(String clientId, String secret, String scope) {
        return send(tokenRequest(clientId, secret, clientCredentialsForm(scope)).build(), clientId);
    }

    /** A client_credentials token bound to {@code key} by DPoP (RFC 9449), and the proof that obtained it. */
    TestRealm.DpopTokens dpopClientCredentials(String clientId, String secret, String scope, ECKey key) {
        String proof = dpopProof(key);
        Request request = tokenRequest(clientId, secret, clientCredentialsForm(scope)).header("DPoP", proof).build();
        return new TestRealm.DpopTokens(send(request, clientId), proof);
    }

    /** A resource-owner password token for a user; {@code scope} may be empty. */
    TestRealm.Tokens password(String clientId, String secret, String username, String password, String scope) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "password")
                .add("username", username)
                .add("password", password);
        if (!scope.isEmpty()) {
            form.add("scope", scope);
        }
        return send(tokenRequest(clientId, secret, form.build()).build(), clientId);
    }

    /** RFC 7009 revocation of an access token by the client it was issued to. */
    void revoke(String clientId, String secret, String accessToken) {
        Request request = new Request.Builder()
                .url(revocationUrl)
                .header("Authorization", Credentials.basic(clientId, secret))
                .post(new FormBody.Builder().add("token", accessToken).add("token_type_hint", "access_token").build())
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IllegalStateException("revoke -> HTTP " + response.code() + ": " + response.body().string());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FormBody clientCredentialsForm(String scope) {
        FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
        if (!scope.isEmpty()) {
            form.add("scope", scope);
        }
        return form.build();
    }

    /** A DPoP proof for a POST to the token endpoint, signed with {@code key} and carrying its public half. */
    private String dpopProof(ECKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build(),
                    new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                            .claim("htu", tokenUrl).issueTime(new Date()).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private Request.Builder tokenRequest(String clientId, String secret, FormBody form) {
        return new Request.Builder()
                .url(tokenUrl)
                .header("Authorization", Credentials.basic(clientId, secret))
                .post(form);
    }

    private TestRealm.Tokens send(Request request, String clientId) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new IllegalStateException("token request for " + clientId + " -> HTTP " + response.code() + ": "
                        + body);
            }
            JsonNode json = KeycloakAdmin.JSON.readTree(body);
            return new TestRealm.Tokens(json.get("access_token").asText(), json.path("expires_in").asLong(),
                    json.path("scope").asText(""), json.path("refresh_token").asText(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
