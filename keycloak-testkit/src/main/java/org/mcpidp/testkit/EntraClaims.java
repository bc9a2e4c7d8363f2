package org.mcpidp.testkit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Claim sets shaped like Microsoft Entra ID access tokens, for tests that cannot reach Microsoft. They follow
 * Microsoft's documented access-token claims (v2: {@code aud} = the API's appId GUID, {@code azp}, {@code tid},
 * {@code ver}); a test adds what the case is about ({@code idtyp}, {@code roles}, {@code scp}) and signs with a
 * LOCAL STAND-IN key set ({@link LocalIssuer}), never with Entra's keys. The ids are fixed example GUIDs.
 */
public final class EntraClaims {

    /** The home tenant of the examples. */
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    /** A tenant that is not allowed. */
    public static final String OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    /** The protected API's application (client) id: the {@code aud} of a v2 token for it. */
    public static final String API_APP_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
    /** The calling agent's application id ({@code azp} in v2, {@code appid} in v1). */
    public static final String AGENT_APP_ID = "3b2c7f0e-5a77-4d6e-9c9e-1d2f3a4b5c6d";

    private EntraClaims() {
    }

    /** The v2 issuer of {@code tenant}: {@code https://login.microsoftonline.com/<tenant>/v2.0}. */
    public static String v2Issuer(String tenant) {
        return "https://login.microsoftonline.com/" + tenant + "/v2.0";
    }

    /**
     * The claims of a v2 access token for {@link #API_APP_ID}, issued now by {@code issuer} in {@code tenant}, valid
     * for an hour, without roles or scopes. Mutable and ordered, so a test can add, replace or remove claims.
     */
    public static Map<String, Object> v2AccessToken(String tenant, String issuer) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", API_APP_ID);
        claims.put("iss", issuer);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 3599);
        claims.put("aio", "E2RgYJh8zv/1hJ3vf/h3/w8xAAA=");
        claims.put("azp", AGENT_APP_ID);
        claims.put("azpacr", "1");
        claims.put("oid", "f5c6d1e2-aaaa-4bbb-8ccc-0123456789ab");
        claims.put("rh", "1.AXkAv4j5cvGGr0GRqy180BHbRysXdG5WvkNIn_TmOjm7EuN5AAB5AA.");
        claims.put("sub", "f5c6d1e2-aaaa-4bbb-8ccc-0123456789ab");
        claims.put("tid", tenant);
        claims.put("uti", "AbCdEfGhIjKlMnOpQrStUv");
        claims.put("ver", "2.0");
        return claims;
    }

    /** As {@link #v2AccessToken(String, String)}, issued by the tenant's own v2 issuer. */
    public static Map<String, Object> v2AccessToken(String tenant) {
        return v2AccessToken(tenant, v2Issuer(tenant));
    }

    /** Signs {@code claims} with {@code keys} the way Entra v2 headers look: RS256, {@code typ} JWT, {@code kid} only. */
    public static String sign(LocalIssuer keys, Map<String, Object> claims) {
        return keys.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(keys.rsaKey().getKeyID()).build(), claims);
    }
}
