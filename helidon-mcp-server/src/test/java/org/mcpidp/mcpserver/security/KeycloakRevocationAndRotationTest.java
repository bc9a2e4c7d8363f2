package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.testkit.SecretValues;

/**
 * Revocation and key rotation with the real Keycloak, measured through the real server: how long after a logout,
 * an RFC 7009 revocation or a client disable a token is still accepted, with "always introspect" (no cache) and with
 * a cache of max lifetime 3 s; and a rotated realm signing key seen by a JWT-mode server without a restart.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakRevocationAndRotationTest {

    private static final long CACHE_SECONDS = 3;
    private static final String SERVER_CLIENT = "mcp-server";
    private static KeycloakServer keycloak;
    private static TestRealm realm;
    private static String serverSecret;
    private static String resource;
    private static SecurityServer alwaysIntrospect;
    private static SecurityServer cached;
    private static SecurityServer jwtMode;
    private static final List<String> measured = new ArrayList<>();

    @BeforeAll
    static void start(KeycloakServer server) {
        keycloak = server;
        int port = FreePort.find();
        resource = SecurityServer.resource(port);
        realm = TestRealm.create(server);
        serverSecret = realm.resourceServerClient(SERVER_CLIENT);
        SecretValues.record(serverSecret);
        realm.clientScope("mcp:read", resource, SERVER_CLIENT);
        Map<String, String> common = Map.of(
                "mcp.resource", resource,
                "mcp.auth.issuers.0.url", realm.issuer(),
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", SERVER_CLIENT,
                "mcp.auth.issuers.0.client-secret", serverSecret);
        alwaysIntrospect = SecurityServer.start(port, with(common, "mcp.auth.cache.enabled", "false"));
        cached = SecurityServer.start(FreePort.find(), with(common, "mcp.auth.cache.max-lifetime", "PT" + CACHE_SECONDS + "S"));
        jwtMode = SecurityServer.start(FreePort.find(), Map.of(
                "mcp.resource", resource,
                "mcp.auth.issuers.0.url", realm.issuer(),
                "mcp.auth.issuers.0.mode", "jwt",
                "mcp.auth.issuers.0.jwks-min-refresh-interval", "PT1S",
                "mcp.auth.cache.enabled", "false"));
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {alwaysIntrospect, cached, jwtMode, realm}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/revocation-rotation.txt"), measured, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static String agent(String name) {
        String secret = realm.agentClient(name, "mcp:read");
        SecretValues.record(secret);
        return secret;
    }

    private static String token(String agent, String secret) {
        String token = realm.clientCredentials(agent, secret, "mcp:read").accessToken();
        SecretValues.record(token);
        return token;
    }

    private static int status(SecurityServer server, String token) {
        return server.send(server.post(token, SecurityServer.INITIALIZE).build()).status();
    }

    /** Millis until {@code server} refuses {@code token} with 401 (polling every 50 ms, at most 15 s). */
    private static long millisUntilRefused(SecurityServer server, String token, long since) throws InterruptedException {
        while (System.nanoTime() - since < 15_000_000_000L) {
            int status = status(server, token);
            assertThat(status).isIn(200, 401);
            if (status == 401) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private void measure(String what, Runnable revoke, String tokenAlways, String tokenCached) throws InterruptedException {
        assertThat(status(alwaysIntrospect, tokenAlways)).isEqualTo(200);
        assertThat(status(cached, tokenCached)).isEqualTo(200);
        revoke.run();
        long since = System.nanoTime();
        long always = millisUntilRefused(alwaysIntrospect, tokenAlways, since);
        long withCache = millisUntilRefused(cached, tokenCached, since);
        String line = String.format("%-22s always-introspect: refused after %d ms; cache max %d s: refused after %d ms",
                what, always, CACHE_SECONDS, withCache);
        measured.add(line);
        System.out.println(line);
        assertThat(always).as(what + " always introspect").isBetween(0L, 500L);
        assertThat(withCache).as(what + " cached").isBetween(0L, CACHE_SECONDS * 1000 + 1000);
    }

    @Test
    void whenATokenIsRevokedThenItIsRefusedAtOnceWithoutCacheAndWithinTheCacheLifetimeWithIt() throws Exception {
        String secret = agent("revoked-agent");
        String a = token("revoked-agent", secret);
        String b = token("revoked-agent", secret);
        measure("RFC 7009 revoke", () -> {
            realm.revoke("revoked-agent", secret, a);
            realm.revoke("revoked-agent", secret, b);
        }, a, b);
    }

    @Test
    void whenTheClientIsDisabledThenItsTokensAreRefused() throws Exception {
        String secret = agent("disabled-agent");
        String a = token("disabled-agent", secret);
        String b = token("disabled-agent", secret);
        measure("client disabled", () -> realm.setClientEnabled("disabled-agent", false), a, b);
    }

    @Test
    void whenTheUserIsLoggedOutThenTheirTokensAreRefused() throws Exception {
        String secret = agent("login-agent");
        String password = "pw-" + UUID.randomUUID();
        SecretValues.record(password);
        String userId = realm.user("alice", password);
        String a = realm.password("login-agent", secret, "alice", password, "mcp:read").accessToken();
        String b = realm.password("login-agent", secret, "alice", password, "mcp:read").accessToken();
        SecretValues.record(a);
        SecretValues.record(b);
        measure("user logout", () -> realm.logoutUser(userId), a, b);
    }

    @Test
    void whenTheRealmSigningKeyIsRotatedThenNewTokensAreAcceptedWithoutRestart() throws Exception {
        String secret = agent("rotation-agent");
        String before = token("rotation-agent", secret);
        assertThat(status(jwtMode, before)).isEqualTo(200);

        String realmPath = "/" + realm.name();
        String realmId = keycloak.admin().get(realmPath).get("id").asText();
        List<String> oldProviders = new ArrayList<>();
        for (JsonNode component : keycloak.admin().get(realmPath + "/components?type=org.keycloak.keys.KeyProvider")) {
            if ("rsa-generated".equals(component.path("providerId").asText())) {
                oldProviders.add(component.get("id").asText());
            }
        }
        keycloak.admin().post(realmPath + "/components", Map.of(
                "name", "rsa-rotated", "providerId", "rsa-generated", "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId, "config", Map.of("priority", List.of("500"), "keySize", List.of("2048"),
                        "active", List.of("true"), "enabled", List.of("true"), "algorithm", List.of("RS256"))));
        for (String id : oldProviders) {
            JsonNode component = keycloak.admin().get(realmPath + "/components/" + id);
            @SuppressWarnings("unchecked")
            Map<String, Object> updated = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(component, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) updated.get("config");
            config.put("enabled", List.of("false"));
            config.put("active", List.of("false"));
            keycloak.admin().put(realmPath + "/components/" + id, updated);
        }
        Thread.sleep(1100); // past jwks-min-refresh-interval (PT1S) since the last JWKS fetch

        String after = token("rotation-agent", secret);
        long start = System.nanoTime();
        int newStatus = status(jwtMode, after);
        long newMillis = (System.nanoTime() - start) / 1_000_000;
        int oldStatus = status(jwtMode, before);
        boolean keycloakSaysOldActive = introspectActive(before);
        boolean keycloakSaysNewActive = introspectActive(after);
        String line = String.format("key rotation: new-key token -> %d (first verification incl. JWKS refresh %d ms); "
                        + "old-key token -> %d; Keycloak introspection: old active=%s, new active=%s (old providers disabled: %d)",
                newStatus, newMillis, oldStatus, keycloakSaysOldActive, keycloakSaysNewActive, oldProviders.size());
        measured.add(line);
        System.out.println(line);
        assertThat(newStatus).isEqualTo(200);
        assertThat(keycloakSaysNewActive).isTrue();
        // the server agrees with Keycloak about the old token
        assertThat(oldStatus == 200).isEqualTo(keycloakSaysOldActive);
    }

    private static boolean introspectActive(String token) throws IOException {
        Request request = new Request.Builder().url(realm.introspectionEndpoint())
                .header("Authorization", Credentials.basic(SERVER_CLIENT, serverSecret))
                .post(new FormBody.Builder().add("token", token).build()).build();
        try (Response response = keycloak.admin().http().newCall(request).execute()) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body().string()).path("active").asBoolean(false);
        }
    }
}
