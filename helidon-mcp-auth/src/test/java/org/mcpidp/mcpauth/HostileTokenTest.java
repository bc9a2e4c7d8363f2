package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.FileInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.testkit.SecretValues;

/**
 * Hostile tokens (RFC 8725, jwt_tool attack modes, PortSwigger JWT labs, RFC 7662 section 4) sent over HTTP to the
 * feature configured from {@code mcp.auth.*} as an application configures it (local issuers: JWT mode, {@code at+jwt}
 * required, and introspection without a cache). Each case names what it sends and the answer it must get; none may
 * get 200 (except the named controls that prove the case next to them is refused for the stated reason), none a 5xx,
 * and none may make the server fetch anything it was not configured to fetch: the "attacker" issuer must see zero
 * requests, the trusted issuer's introspection endpoint is never called in JWT mode, and its JWKS is fetched a bounded
 * number of times. The answers seen are written to target/hostile-tokens.txt.
 */
class HostileTokenTest {

    static LocalIssuer issuer;
    static LocalIssuer attacker;
    static LocalIssuer idp;
    static SdkTestServer jwtServer;
    static SdkTestServer atJwtServer;
    static SdkTestServer introspectionServer;
    static RSAKey attackerKey;
    static RSAKey attackerCertKey;
    static X509Certificate attackerCert;
    static final List<String> observed = new ArrayList<>();
    /** Expected "error" of a request refused by Helidon's HTTP layer itself: no challenge at all. */
    static final String HTTP_LAYER = "(http layer)";
    static final MediaType JSON = MediaType.get("application/json");
    static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"security-test","version":"1"}}}""";

    enum Target { JWT, AT_JWT, INTROSPECTION }

    /**
     * One hostile request: what to send and what must come back. {@code error} is the challenge's error parameter
     * ({@code null} = a challenge without error, i.e. "no token").
     */
    record Case(String name, Target target, Function<SdkTestServer, Request> request, int status, String error,
                Function<RecordedRequest, MockResponse> introspection) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        issuer = LocalIssuer.start();
        attacker = LocalIssuer.start();
        idp = LocalIssuer.start();
        attackerKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        loadAttackerCertificate();
        jwtServer = SdkTestServer.builder().issuer(issuer).tool("read_only", ToolRequirement.scopes("mcp:read"))
                .start();
        atJwtServer = SdkTestServer.builder().issuer(issuer).set("mcp.auth.required-type", "at+jwt").start();
        String secret = "s3cr3t-" + UUID.randomUUID();
        SecretValues.record(secret);
        introspectionServer = SdkTestServer.builder().issuer(idp).set(Map.of(
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", secret,
                "mcp.auth.cache.enabled", "false")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/hostile-tokens.txt"), observed);
        for (AutoCloseable c : new AutoCloseable[] {jwtServer, atJwtServer, introspectionServer, issuer, attacker, idp}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void hostileRequestIsRefusedWithoutUnexpectedFetches(Case c) {
        if (c.introspection() != null) {
            idp.onIntrospection(c.introspection());
        }
        SdkTestServer server = switch (c.target()) {
            case JWT -> jwtServer;
            case AT_JWT -> atJwtServer;
            case INTROSPECTION -> introspectionServer;
        };
        Request request = c.request().apply(server);
        request.headers("Authorization").forEach(value -> SecretValues.record(value.replaceFirst("(?i)^bearer\\s+", "")));

        McpHttp.Reply reply = server.mcp.send(request);
        synchronized (observed) {
            observed.add(String.format("%-62s -> %d %s", c.name(), reply.status(),
                    challengeError(reply) == null ? "" : challengeError(reply)));
        }

        assertThat(reply.status()).as(c.name()).isLessThan(500).isEqualTo(c.status());
        if (HTTP_LAYER.equals(c.error())) {
            assertThat(reply.header("WWW-Authenticate")).isNull();
        } else if (c.status() == 401 || c.status() == 400 || c.status() == 403) {
            assertThat(challengeError(reply)).as(c.name() + " challenge").isEqualTo(c.error());
            assertThat(reply.header("WWW-Authenticate")).as(c.name()).contains("resource_metadata=");
        }
        assertThat(reply.body()).doesNotContain("Exception").doesNotContainPattern("\\tat [a-z]");
        assertNothingFetchedFromAttacker();
        assertThat(issuer.requests("/introspect")).as("JWT mode never introspects").isZero();
    }

    @Test
    void whenTheIntrospectionEndpointAnswers401Or403WithActiveTrueThenNeverAcceptedButUnavailable() {
        // 401/403 refuse this server's own client credentials: a configuration failure, so 503 (never 200, never a
        // 401 blaming the token) and not ready (what an application's readiness check reads: the demo's
        // /observe/health/ready answers 503 then). A server of its own: the episode would turn the shared one unready.
        for (int status : new int[] {401, 403}) {
            try (LocalIssuer refusing = LocalIssuer.start();
                 SdkTestServer server = SdkTestServer.builder().issuer(refusing).set(Map.of(
                         "mcp.auth.issuers.0.mode", "introspection",
                         "mcp.auth.issuers.0.client-id", "mcp-server",
                         "mcp.auth.issuers.0.client-secret", "wrong-" + UUID.randomUUID(),
                         "mcp.auth.cache.enabled", "false")).start()) {
                refusing.onIntrospection(r -> LocalIssuer.json(status, json(with(idpClaims(), "active", true))));

                McpHttp.Reply reply = server.mcp.send(bearer(server, opaque()));
                boolean ready = server.verifier().ready();

                synchronized (observed) {
                    observed.add(String.format("%-62s -> %d, ready %s", "introspection: " + status
                            + " with active:true JSON (own server)", reply.status(), ready));
                }
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).isNotNull();
                assertThat(reply.header("WWW-Authenticate")).isNull();
                assertThat(ready).as("ready while the IdP refuses the server's credentials").isFalse();
            }
        }
    }

    @Test
    void whenAFloodOfUnknownKidsArrivesThenJwksFetchesStayRateLimited() {
        issuer.requests("/jwks"); // warm: the first valid token loads the JWKS
        assertThat(jwtServer.mcp.send(bearer(jwtServer, issuer.sign(valid()))).status()).isEqualTo(200);
        int before = issuer.requests("/jwks");
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + i).type(JOSEObjectType.JWT).build();
            String token = signWith(attackerKey, header, valid());
            assertThat(jwtServer.mcp.send(bearer(jwtServer, token)).status()).isEqualTo(401);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int fetches = issuer.requests("/jwks") - before;
        observed.add("flood of 200 unknown kids: " + fetches + " JWKS fetch(es), " + millis + " ms");
        assertThat(fetches).as("JWKS fetches for 200 unknown kids (rate limit 30 s)").isLessThanOrEqualTo(1);
    }

    static Stream<Arguments> cases() {
        List<Case> all = new ArrayList<>();
        // --- alg none, any casing, empty or kept signature
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            all.add(jwt("alg '" + none + "' with empty signature",
                    () -> raw("{\"alg\":\"" + none + "\",\"typ\":\"JWT\"}", json(valid()), "")));
        }
        all.add(jwt("alg none keeping the original RS256 signature", () -> {
            String real = issuer.sign(valid());
            return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + real.substring(real.indexOf('.'));
        }));
        all.add(jwt("alg none without the trailing dot", () -> b64("{\"alg\":\"none\"}") + "." + b64(json(valid()))));
        // --- key confusion: the public key as an HMAC secret
        all.add(jwt("HS256 with the RSA public key (PEM) as secret", () -> hmac("HS256", "HmacSHA256", publicPem())));
        all.add(jwt("HS256 with the RSA public key (DER) as secret", () -> hmac("HS256", "HmacSHA256",
                rsaPublic().getEncoded())));
        all.add(jwt("HS256 with the public JWK JSON as secret", () -> hmac("HS256", "HmacSHA256",
                issuer.rsaKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))));
        all.add(jwt("HS512 with the RSA public key (PEM) as secret", () -> hmac("HS512", "HmacSHA512", publicPem())));
        // --- psychic signatures (CVE-2022-21449)
        all.add(jwt("ES256 r=s=0 (psychic signature, raw)", () -> raw("{\"alg\":\"ES256\",\"kid\":\"ec-1\",\"typ\":\"JWT\"}",
                json(valid()), Base64URL.encode(new byte[64]).toString())));
        all.add(jwt("ES256 r=s=0 (psychic signature, DER)", () -> raw("{\"alg\":\"ES256\",\"kid\":\"ec-1\",\"typ\":\"JWT\"}",
                json(valid()), Base64URL.encode(new byte[] {0x30, 6, 2, 1, 0, 2, 1, 0}).toString())));
        // --- algorithms outside the allow-list, alg/key mismatch
        for (String alg : List.of("EdDSA", "ES256K", "RS1", "RSA-OAEP")) {
            all.add(jwt("alg " + alg + " (not allowed)", () -> raw("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}",
                    json(valid()), Base64URL.encode(new byte[64]).toString())));
        }
        all.add(jwt("ES256 header naming the RSA kid", () -> issuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").type(JOSEObjectType.JWT).build(), valid())));
        all.add(jwt("RS256 header naming the EC kid (signed with RSA)", () -> issuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").type(JOSEObjectType.JWT).build(), valid())));
        // --- kid games
        all.add(jwt("unknown kid, signed by an unknown key", () -> signWith(attackerKey,
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("who-" + UUID.randomUUID()).build(), valid())));
        all.add(jwt("trusted kid rsa-1, signed by an unknown key", () -> signWith(attackerKey, rs256(), valid())));
        for (String kid : List.of("../../../../etc/passwd", "rsa-1\" or \"1\"=\"1", "rsa-1\u0000", "/dev/null", "' UNION SELECT 'k")) {
            all.add(jwt("kid " + printable(kid), () -> signWith(attackerKey,
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), valid())));
        }
        all.add(jwt("no kid, signed by an unknown key", () -> signWith(attackerKey,
                new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), valid())));
        // --- keys the token brings along
        all.add(jwt("jku pointing to the attacker's JWKS", () -> {
            attacker.publish(attackerKey);
            return signWith(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                    .jwkURL(URI.create(attacker.jwksUri())).type(JOSEObjectType.JWT).build(), valid());
        }));
        all.add(jwt("x5u pointing to the attacker", () -> signWith(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1").x509CertURL(URI.create(attacker.issuer() + "/x5u")).type(JOSEObjectType.JWT).build(), valid())));
        all.add(jwt("embedded jwk header (attacker's key)", () -> signWith(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1").jwk(attackerKey.toPublicJWK()).type(JOSEObjectType.JWT).build(), valid())));
        all.add(jwt("x5c with an untrusted self-signed chain", () -> signWith(attackerCertKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1").x509CertChain(List.of(certBase64())).type(JOSEObjectType.JWT).build(), valid())));
        all.add(jwt("unknown crit header", () -> issuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(JOSEObjectType.JWT).criticalParams(Set.of("x-must-understand")).customParam("x-must-understand", true)
                .build(), valid())));
        all.add(jwt("JWE (encrypted to the issuer's public key) where JWS is expected", HostileTokenTest::jwe));
        // --- time
        all.add(jwt("expired an hour ago", () -> issuer.sign(with(valid(), "exp", now() - 3600))));
        all.add(jwt("expired 2 minutes ago (beyond 60 s leeway)", () -> issuer.sign(with(valid(), "exp", now() - 120))));
        all.add(jwt("nbf 10 minutes in the future", () -> issuer.sign(with(valid(), "nbf", now() + 600))));
        all.add(jwt("iat 10 minutes in the future", () -> issuer.sign(with(valid(), "iat", now() + 600))));
        all.add(accepted("CONTROL nbf 30 s in the future (within leeway) is accepted", () -> issuer.sign(with(valid(), "nbf", now() + 30))));
        all.add(accepted("CONTROL iat 30 s in the future (within leeway) is accepted", () -> issuer.sign(with(valid(), "iat", now() + 30))));
        all.add(jwt("exp missing", () -> issuer.sign(without(valid(), "exp"))));
        all.add(jwt("exp a string", () -> issuer.sign(with(valid(), "exp", Long.toString(now() + 300)))));
        all.add(jwt("exp a float", () -> issuer.sign(with(valid(), "exp", now() + 300.5))));
        all.add(jwt("exp huge (1e20)", () -> issuer.signRaw(rs256(), json(valid()).replaceFirst("\"exp\":\\d+", "\"exp\":100000000000000000000"))));
        all.add(jwt("exp beyond year 9999", () -> issuer.sign(with(valid(), "exp", 999_999_999_999L))));
        all.add(jwt("exp negative", () -> issuer.sign(with(valid(), "exp", -1))));
        all.add(jwt("exp null", () -> issuer.sign(with(valid(), "exp", null))));
        // --- issuer
        // --- sender-constrained (RFC 9449 DPoP, RFC 8705 mTLS): never accepted as a bearer token
        all.add(jwt("cnf with a DPoP key thumbprint (jkt)", () -> issuer.sign(with(valid(), "cnf",
                Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")))));
        all.add(jwt("cnf with a certificate thumbprint (x5t#S256)", () -> issuer.sign(with(valid(), "cnf",
                Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")))));
        all.add(jwt("header typ dpop+jwt (a DPoP proof as the token)", () -> issuer.sign(new JWSHeader.Builder(
                JWSAlgorithm.RS256).keyID("rsa-1").type(new JOSEObjectType("dpop+jwt")).build(), valid())));
        // --- issuer
        all.add(jwt("iss with a trailing slash", () -> issuer.sign(with(valid(), "iss", issuer.issuer() + "/"))));
        all.add(jwt("iss in upper case", () -> issuer.sign(with(valid(), "iss", issuer.issuer().toUpperCase()))));
        all.add(jwt("iss https instead of http", () -> issuer.sign(with(valid(), "iss", issuer.issuer().replace("http:", "https:")))));
        all.add(jwt("iss of another issuer", () -> issuer.sign(with(valid(), "iss", attacker.issuer()))));
        all.add(jwt("iss missing", () -> issuer.sign(without(valid(), "iss"))));
        all.add(jwt("iss an array", () -> issuer.sign(with(valid(), "iss", List.of(issuer.issuer())))));
        // --- audience
        all.add(jwt("aud of another resource", () -> issuer.sign(with(valid(), "aud", "http://127.0.0.1:1/mcp"))));
        all.add(jwt("aud empty string", () -> issuer.sign(with(valid(), "aud", ""))));
        all.add(jwt("aud empty array", () -> issuer.sign(with(valid(), "aud", List.of()))));
        all.add(jwt("aud array of other audiences", () -> issuer.sign(with(valid(), "aud", List.of("account", "other")))));
        all.add(jwt("aud with a trailing slash", () -> issuer.sign(with(valid(), "aud", jwtServer.url + "/"))));
        all.add(jwt("aud a number", () -> issuer.sign(with(valid(), "aud", 42))));
        all.add(jwt("aud missing", () -> issuer.sign(without(valid(), "aud"))));
        // --- token kind
        all.add(new Case("typ JWT where at+jwt is required", Target.AT_JWT, s -> bearer(s, issuer.sign(valid(atJwtServer))), 401, "invalid_token", null));
        all.add(new Case("typ missing where at+jwt is required", Target.AT_JWT, s -> bearer(s, issuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), valid(atJwtServer))), 401, "invalid_token", null));
        all.add(new Case("CONTROL typ at+jwt where at+jwt is required is accepted", Target.AT_JWT, s -> bearer(s, issuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(new JOSEObjectType("at+jwt")).build(),
                valid(atJwtServer))), 200, null, null));
        all.add(jwt("ID token (typ ID) presented as access token", () -> issuer.sign(with(valid(), "typ", "ID"))));
        all.add(jwt("header typ JOSE+JSON", () -> issuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(new JOSEObjectType("JOSE+JSON")).build(), valid())));
        // --- signature and encoding
        all.add(jwt("signature stripped (header.payload.)", () -> { String t = issuer.sign(valid()); return t.substring(0, t.lastIndexOf('.') + 1); }));
        all.add(jwt("signature truncated", () -> { String t = issuer.sign(valid()); return t.substring(0, t.length() - 12); }));
        all.add(jwt("signature of another token", () -> {
            String a = issuer.sign(valid());
            String b = issuer.sign(with(valid(), "sub", "admin"));
            return b.substring(0, b.lastIndexOf('.')) + a.substring(a.lastIndexOf('.'));
        }));
        all.add(jwt("payload changed after signing (sub=admin)", () -> {
            String t = issuer.sign(valid());
            String[] p = t.split("\\.");
            return p[0] + "." + b64(json(with(valid(), "sub", "admin"))) + "." + p[2];
        }));
        all.add(jwt("bad base64url in the payload ('+' and '/')", () -> {
            String t = issuer.sign(valid());
            String[] p = t.split("\\.");
            return p[0] + "." + p[1].substring(0, 10) + "+/" + p[1].substring(12) + "." + p[2];
        }));
        all.add(jwt("base64 padding inside a segment", () -> { String t = issuer.sign(valid()); return t.replaceFirst("\\.", "==."); }));
        all.add(jwt("four segments", () -> issuer.sign(valid()) + ".AAAA"));
        all.add(jwt("payload not JSON", () -> issuer.signRaw(rs256(), "not json")));
        all.add(jwt("payload a JSON array", () -> issuer.signRaw(rs256(), "[" + json(valid()) + "]")));
        all.add(jwt("duplicate JSON keys (aud twice, trusted value last)", () -> issuer.signRaw(rs256(),
                json(with(valid(), "aud", "http://127.0.0.1:1/other")).replaceFirst("}$",
                        ",\"aud\":\"" + jwtServer.url + "\"}"))));
        all.add(jwt("duplicate JSON keys (iss twice)", () -> issuer.signRaw(rs256(),
                json(with(valid(), "iss", attacker.issuer())).replaceFirst("}$", ",\"iss\":\"" + issuer.issuer() + "\"}"))));
        all.add(jwt("duplicate JSON keys in the header (alg twice)", () -> raw(
                "{\"alg\":\"none\",\"kid\":\"rsa-1\",\"alg\":\"RS256\"}", json(valid()), "")));
        all.add(jwt("deeply nested JSON claim (5,000 levels)", () -> issuer.signRaw(rs256(),
                json(valid()).replaceFirst("}$", ",\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))));
        all.add(jwt("deeply nested JSON header (1,000 levels)", () -> raw(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}", json(valid()), "AAAA")));
        // Beyond Helidon's 16 KB request-header limit the HTTP layer answers 400 before any filter runs (no challenge).
        all.add(new Case("JOSE header larger than 16 KB (HTTP header limit)", Target.JWT, s -> bearer(s, issuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").customParam("pad", "x".repeat(17 * 1024)).build(),
                valid())), 400, HTTP_LAYER, null));
        all.add(new Case("deeply nested JSON header (5,000 levels, > 16 KB)", Target.JWT, s -> bearer(s, raw(
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}",
                json(valid()), "AAAA")), 400, HTTP_LAYER, null));
        all.add(jwt("JOSE header of 10 KB (token over the 12 KB limit)", () -> issuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1").customParam("pad", "x".repeat(10 * 1024)).build(), valid())));
        all.add(accepted("CONTROL token of 11 KB (under the 12 KB limit) is accepted", () -> issuer.sign(with(valid(), "pad", "y".repeat(7 * 1024)))));
        // --- claims
        all.add(new Case("Unicode look-alike scope (Cyrillic e in mcp:rеad) -> read_only (needs mcp:read)", Target.JWT,
                s -> bearer(s, issuer.sign(with(valid(), "scope", "mcp:r\u0435ad")),
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"read_only\",\"arguments\":{}}}"),
                403, "insufficient_scope", null));
        all.add(jwt("scope as an array", () -> issuer.sign(with(valid(), "scope", List.of("mcp:read", "mcp:write")))));
        all.add(jwt("scope a number", () -> issuer.sign(with(valid(), "scope", 7))));
        all.add(jwt("sub missing", () -> issuer.sign(without(valid(), "sub"))));
        all.add(jwt("sub an object", () -> issuer.sign(with(valid(), "sub", Map.of("id", "x")))));
        all.add(jwt("azp not a string", () -> issuer.sign(with(valid(), "azp", List.of("a")))));
        all.add(jwt("realm_access.roles a string", () -> issuer.sign(with(valid(), "realm_access", Map.of("roles", "admin")))));
        // --- how the token is carried
        all.add(new Case("token only in the query string", Target.JWT, s -> new Request.Builder()
                .url(s.url + "?access_token=" + issuer.sign(valid()))
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(INITIALIZE, JSON)).build(), 401, null, null));
        all.add(new Case("token only in a form body", Target.JWT, s -> new Request.Builder().url(s.url)
                .header("Accept", "application/json, text/event-stream")
                .post(new FormBody.Builder().add("access_token", issuer.sign(valid())).build()).build(), 401, null, null));
        all.add(new Case("CONTROL scheme 'bearer' in lower case is accepted (RFC 7235: case-insensitive)", Target.JWT,
                s -> post(s, null, INITIALIZE).header("Authorization", "bearer " + issuer.sign(valid())).build(),
                200, null, null));
        all.add(new Case("CONTROL two spaces after Bearer are accepted (RFC 6750: 1*SP)", Target.JWT,
                s -> post(s, null, INITIALIZE).header("Authorization", "Bearer  " + issuer.sign(valid())).build(),
                200, null, null));
        all.add(new Case("two Authorization headers", Target.JWT, s -> post(s, issuer.sign(valid()), INITIALIZE)
                .addHeader("Authorization", "Bearer " + issuer.sign(valid())).build(), 400, "invalid_request", null));
        all.add(new Case("two tokens in one header (comma)", Target.JWT, s -> post(s, null, INITIALIZE)
                .header("Authorization", "Bearer " + issuer.sign(valid()) + ", Bearer " + issuer.sign(valid())).build(),
                401, "invalid_token", null));
        all.add(new Case("Basic scheme instead of Bearer", Target.JWT, s -> post(s, null, INITIALIZE)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes())).build(),
                401, null, null));
        all.add(new Case("'Bearer' without a token", Target.JWT, s -> post(s, null, INITIALIZE)
                .header("Authorization", "Bearer").build(), 401, null, null));
        all.add(new Case("token with characters outside b64token", Target.JWT, s -> post(s, null, INITIALIZE)
                .header("Authorization", "Bearer abc\"def<script>").build(), 401, "invalid_token", null));
        all.add(new Case("token with a tab inside", Target.JWT, s -> post(s, null, INITIALIZE)
                .header("Authorization", "Bearer abc\tdef").build(), 401, "invalid_token", null));
        // --- introspection answers (RFC 7662 section 4: never trust an answer that is not exactly right)
        introspected(all, "introspection: 'active' missing", r -> LocalIssuer.json(200, json(without(idpClaims(), "active"))));
        introspected(all, "introspection: \"active\":\"true\" (string)", r -> LocalIssuer.json(200, json(with(idpClaims(), "active", "true"))));
        introspected(all, "introspection: \"active\":1", r -> LocalIssuer.json(200, json(with(idpClaims(), "active", 1))));
        introspected(all, "introspection: active false then true (duplicate key)", r -> LocalIssuer.json(200,
                "{\"active\":false," + json(with(idpClaims(), "active", true)).substring(1)));
        introspected(all, "introspection: 400 with active:true JSON", r -> LocalIssuer.json(400, json(with(idpClaims(), "active", true))));
        // 401/403 refuse the server's own credentials: 503 and not ready (own test below, own server: the episode
        // would make the shared server answer 503 to the cases after it)
        introspected(all, "introspection: active:true with cnf (DPoP/mTLS-bound)", r -> LocalIssuer.active(with(idpClaims(),
                "cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))));
        introspected(all, "introspection: active:true with token_type DPoP", r -> LocalIssuer.active(with(idpClaims(),
                "token_type", "DPoP")));
        introspected(all, "introspection: active:true, exp passed", r -> LocalIssuer.active(with(idpClaims(), "exp", now() - 600)));
        introspected(all, "introspection: active:true, exp missing", r -> LocalIssuer.active(without(idpClaims(), "exp")));
        introspected(all, "introspection: active:true, wrong iss", r -> LocalIssuer.active(with(idpClaims(), "iss", attacker.issuer())));
        introspected(all, "introspection: active:true, iss missing", r -> LocalIssuer.active(without(idpClaims(), "iss")));
        introspected(all, "introspection: active:true, wrong aud", r -> LocalIssuer.active(with(idpClaims(), "aud", "someone-else")));
        introspected(all, "introspection: active:true, aud missing", r -> LocalIssuer.active(without(idpClaims(), "aud")));
        introspected(all, "introspection: HTML page (200 text/html)", r -> new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "text/html").body("<html><body>{\"active\":true}</body></html>").build());
        introspected(all, "introspection: HTML labelled application/json", r -> LocalIssuer.json(200, "<html>active true</html>"));
        introspected(all, "introspection: a JSON array", r -> LocalIssuer.json(200, "[" + json(with(idpClaims(), "active", true)) + "]"));
        introspected(all, "introspection: empty 200", r -> LocalIssuer.json(200, ""));
        introspected(all, "introspection: trailing garbage after the object", r -> LocalIssuer.json(200, json(with(idpClaims(), "active", true)) + "{}"));
        introspected(all, "introspection: 302 redirect to the attacker", r -> new MockResponse.Builder().code(302)
                .addHeader("Location", attacker.introspectionEndpoint()).build());
        introspected(all, "introspection: 307 redirect to the attacker", r -> new MockResponse.Builder().code(307)
                .addHeader("Location", attacker.introspectionEndpoint()).build());
        // --- JSON null claims (issue 13 finding 4: Map.copyOf threw a NullPointerException, the server answered 500)
        introspected(all, "introspection: active:true, exp null", r -> LocalIssuer.active(with(idpClaims(), "exp", null)));
        introspected(all, "introspection: active:true, sub null", r -> LocalIssuer.active(with(idpClaims(), "sub", null)));
        introspected(all, "introspection: active:true, iss null", r -> LocalIssuer.active(with(idpClaims(), "iss", null)));
        introspected(all, "introspection: active:true, aud null", r -> LocalIssuer.active(with(idpClaims(), "aud", null)));
        introspected(all, "introspection: active:true, aud [null]", r -> LocalIssuer.active(with(idpClaims(), "aud",
                java.util.Arrays.asList((Object) null))));
        introspected(all, "introspection: active:true, realm_access.roles [null]", r -> LocalIssuer.active(with(idpClaims(),
                "realm_access", java.util.Collections.singletonMap("roles", java.util.Arrays.asList((Object) null)))));
        introspected(all, "introspection: \"active\":null", r -> LocalIssuer.json(200, json(with(idpClaims(), "active", null))));
        all.add(new Case("CONTROL introspection: active:true with \"acr\":null is accepted (the null claim is dropped)",
                Target.INTROSPECTION, s -> bearer(s, opaque()), 200, null,
                r -> LocalIssuer.active(with(idpClaims(), "acr", null))));
        all.add(new Case("CONTROL introspection: active:true with \"scope\":null is accepted without scopes",
                Target.INTROSPECTION, s -> bearer(s, opaque()), 200, null,
                r -> LocalIssuer.active(with(idpClaims(), "scope", null))));
        all.add(new Case("CONTROL introspection: active:true with right iss/aud/exp is accepted", Target.INTROSPECTION,
                s -> bearer(s, opaque()), 200, null, r -> LocalIssuer.active(idpClaims())));
        return all.stream().map(Arguments::of);
    }

    // ------------------------------------------------------------------ helpers

    private static Case jwt(String name, Supplier<String> token) {
        return new Case(name, Target.JWT, s -> bearer(s, token.get()), 401, "invalid_token", null);
    }

    private static Case accepted(String name, Supplier<String> token) {
        return new Case(name, Target.JWT, s -> bearer(s, token.get()), 200, null, null);
    }

    private static void introspected(List<Case> all, String name, Function<RecordedRequest, MockResponse> answer) {
        all.add(new Case(name, Target.INTROSPECTION, s -> bearer(s, opaque()), 401, "invalid_token", answer));
    }

    private static Request bearer(SdkTestServer server, String token) {
        return bearer(server, token, INITIALIZE);
    }

    private static Request bearer(SdkTestServer server, String token, String body) {
        return post(server, token, body).build();
    }

    /** A POST of {@code body} with the usual MCP headers and {@code Authorization: Bearer token} (none if null). */
    private static Request.Builder post(SdkTestServer server, String token, String body) {
        return server.mcp.post(token, Optional.empty(), body);
    }

    /** The {@code error} parameter of the challenge, or null when there is no {@code error} (or no challenge). */
    static String challengeError(McpHttp.Reply reply) {
        String challenge = reply.header("WWW-Authenticate");
        if (challenge == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("error=\"([^\"]*)\"").matcher(challenge);
        return m.find() ? m.group(1) : null;
    }

    private static String opaque() {
        return "opaque-" + UUID.randomUUID();
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static Map<String, Object> valid() {
        return valid(jwtServer);
    }

    static Map<String, Object> valid(SdkTestServer server) {
        return issuer.claims(server.url, "mcp:read");
    }

    static Map<String, Object> idpClaims() {
        Map<String, Object> claims = idp.claims(introspectionServer.url, "mcp:read");
        claims.put("active", true);
        return claims;
    }

    static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> claims, String name) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        copy.remove(name);
        return copy;
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A compact JWS from exact header and payload text and a given signature segment. */
    static String raw(String headerJson, String payloadJson, String signature) {
        return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
    }

    private static JWSHeader rs256() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(JOSEObjectType.JWT).build();
    }

    static String signWith(RSAKey key, JWSHeader header, Map<String, Object> claims) {
        try {
            String input = header.toBase64URL() + "." + b64(json(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.toPrivateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAPublicKey rsaPublic() {
        try {
            return issuer.rsaKey().toRSAPublicKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] publicPem() {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsaPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hmac(String alg, String javaAlg, byte[] secret) {
        try {
            String input = b64("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}") + "." + b64(json(valid()));
            Mac mac = Mac.getInstance(javaAlg);
            mac.init(new SecretKeySpec(secret, javaAlg));
            return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwe() {
        try {
            EncryptedJWT jwt = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                    .keyID("rsa-1").build(), JWTClaimsSet.parse(valid()));
            jwt.encrypt(new RSAEncrypter(rsaPublic()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Base64 certBase64() {
        try {
            return Base64.encode(attackerCert.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(String text) {
        return text.replace("\u0000", "\\0");
    }

    /** A self-signed certificate and its key made by the JDK's keytool: the chain nobody trusts. */
    private static void loadAttackerCertificate() throws Exception {
        Path dir = Files.createTempDirectory("x5c");
        Path store = dir.resolve("attacker.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "attacker", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=attacker", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, "changeit".toCharArray());
        }
        attackerCert = (X509Certificate) keyStore.getCertificate("attacker");
        attackerCertKey = new RSAKey.Builder((RSAPublicKey) attackerCert.getPublicKey())
                .privateKey((PrivateKey) keyStore.getKey("attacker", "changeit".toCharArray())).keyID("rsa-1").build();
        Files.deleteIfExists(store);
        Files.deleteIfExists(dir);
    }

    private static void assertNothingFetchedFromAttacker() {
        int total = 0;
        for (String path : List.of("/jwks", "/x5u", "/introspect", "/.well-known/openid-configuration")) {
            total += attacker.requests(path);
        }
        assertThat(total).as("requests the attacker's server received").isZero();
    }
}
