package org.mcpidp.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A stand-in authorization server for unit tests of token checks that need no real IdP: it serves OIDC metadata,
 * a JWKS with its own RSA and EC keys, and an introspection endpoint whose answer the test decides. Tokens are signed
 * with those keys, from claims (or raw JSON, to build malformed payloads) the test chooses. Every path's request count
 * is recorded so tests can assert what went over the wire.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String REALM_PATH = "/realms/local";

    private final MockWebServer server = new MockWebServer();
    private final RSAKey rsaKey;
    private final ECKey ecKey;
    private final List<JWK> publishedKeys = new ArrayList<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile Function<RecordedRequest, MockResponse> introspection =
            request -> json(200, "{\"active\":false}");
    private volatile Function<RecordedRequest, MockResponse> override;

    private LocalIssuer() {
        try {
            rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        publishedKeys.add(rsaKey.toPublicJWK());
        publishedKeys.add(ecKey.toPublicJWK());
    }

    /** Starts on a free loopback port. */
    public static LocalIssuer start() {
        LocalIssuer issuer = new LocalIssuer();
        issuer.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return issuer.answer(request);
            }
        });
        try {
            issuer.server.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return issuer;
    }

    /** {@code http://127.0.0.1:<port>/realms/local}, as written into {@code iss}. */
    public String issuer() {
        return baseUrl() + REALM_PATH;
    }

    public String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public String jwksUri() {
        return issuer() + "/jwks";
    }

    public String introspectionEndpoint() {
        return issuer() + "/introspect";
    }

    public RSAKey rsaKey() {
        return rsaKey;
    }

    public ECKey ecKey() {
        return ecKey;
    }

    /** Publishes one more key in the JWKS (key rotation). */
    public synchronized void publish(JWK key) {
        publishedKeys.add(key.toPublicJWK());
    }

    /** How the introspection endpoint answers; the default says {@code active:false}. */
    public void onIntrospection(Function<RecordedRequest, MockResponse> answer) {
        this.introspection = answer;
    }

    /** Replaces every answer (e.g. a 503 for all paths); {@code null} restores normal service. */
    public void overrideAll(Function<RecordedRequest, MockResponse> answer) {
        this.override = answer;
    }

    /** Requests received on a path relative to the issuer, e.g. {@code /jwks}, {@code /introspect}. */
    public int requests(String pathUnderIssuer) {
        AtomicInteger count = requests.get(REALM_PATH + pathUnderIssuer);
        return count == null ? 0 : count.get();
    }

    /** Claims of a typical valid access token: 5 minutes left, audience {@code audience}, scope {@code scope}. */
    public Map<String, Object> claims(String audience, String scope) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer());
        claims.put("sub", "user-123");
        claims.put("aud", audience);
        claims.put("exp", now + 300);
        claims.put("iat", now);
        claims.put("azp", "agent-1");
        claims.put("typ", "Bearer");
        claims.put("scope", scope);
        return claims;
    }

    /** An RS256 JWT with header {@code typ: JWT}, {@code kid} of the RSA key. */
    public String sign(Map<String, Object> claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(rsaKey.getKeyID()).build(), claims);
    }

    /** A JWT with the given header, signed with the RSA or EC key that fits its algorithm. */
    public String sign(JWSHeader header, Map<String, Object> claims) {
        try {
            return signRaw(header, KeycloakAdmin.JSON.writeValueAsString(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs any payload text: the way to make tokens whose JSON is wrong on purpose. */
    public String signRaw(JWSHeader header, String payloadJson) {
        JWSObject jws = new JWSObject(header, new Payload(payloadJson));
        try {
            if (JWSAlgorithm.Family.EC.contains(header.getAlgorithm())) {
                jws.sign(new ECDSASigner(ecKey));
            } else {
                jws.sign(new RSASSASigner(rsaKey));
            }
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    /** An introspection answer: 200 with the claims plus {@code active:true}. */
    public static MockResponse active(Map<String, Object> claims) {
        Map<String, Object> body = new LinkedHashMap<>(claims);
        body.put("active", true);
        try {
            return json(200, KeycloakAdmin.JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private MockResponse answer(RecordedRequest request) {
        // MockWebServer keeps every request for takeRequest(), which this class never uses: drop them, or a
        // long-running user (the soak test) sees the stand-in's queue as a heap leak.
        drainRecordedRequests();
        String path = request.getUrl().encodedPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Function<RecordedRequest, MockResponse> all = override;
        if (all != null) {
            return all.apply(request);
        }
        return switch (path) {
            case REALM_PATH + "/.well-known/openid-configuration" -> json(200, """
                    {"issuer":"%s","jwks_uri":"%s","introspection_endpoint":"%s",
                     "token_endpoint":"%s/token","response_types_supported":["code"]}"""
                    .formatted(issuer(), jwksUri(), introspectionEndpoint(), issuer()));
            case REALM_PATH + "/jwks" -> {
                synchronized (this) {
                    yield json(200, new JWKSet(publishedKeys).toString());
                }
            }
            case REALM_PATH + "/introspect" -> introspection.apply(request);
            default -> new MockResponse.Builder().code(404).build();
        };
    }

    private void drainRecordedRequests() {
        try {
            while (server.takeRequest(0, java.util.concurrent.TimeUnit.NANOSECONDS) != null) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
