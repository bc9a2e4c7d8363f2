package org.mcpidp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KeycloakExtension.class)
class KeycloakServerTest {

    private static TestRealm realm;
    private static String serverSecret;
    private static String agentSecret;

    @BeforeAll
    static void realm(KeycloakServer keycloak) {
        realm = TestRealm.create(keycloak);
        realm.clientScope("mcp:read", "https://mcp.example.test/mcp", "mcp-server");
        serverSecret = realm.resourceServerClient("mcp-server");
        agentSecret = realm.agentClient("agent", "mcp:read");
    }

    @AfterAll
    static void close() {
        realm.close();
    }

    @Test
    void whenServerIsSharedThenTheSameInstanceIsReturned(KeycloakServer keycloak) {
        assertThat(KeycloakServer.shared()).isSameAs(keycloak);
        assertThat(keycloak.baseUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void whenAgentRequestsScopeThenTokenCarriesScopeAndBothAudiencesAndIntrospectsActive() throws Exception {
        TestRealm.Tokens tokens = realm.clientCredentials("agent", agentSecret, "mcp:read");
        assertThat(tokens.scope()).contains("mcp:read");

        JsonNode introspection = introspect(tokens.accessToken());
        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("iss").asText()).isEqualTo(realm.issuer());
        assertThat(introspection.get("aud")).extracting(JsonNode::toString).asString()
                .contains("https://mcp.example.test/mcp").contains("mcp-server");
    }

    @Test
    void whenTokenLacksServerAudienceThenKeycloakAnswersInactive() throws Exception {
        // The fact from IDP-NOTES: Keycloak >= 26.7.0 only introspects for clients in the token's aud.
        TestRealm.Tokens tokens = realm.clientCredentials("agent", agentSecret, "");
        assertThat(introspect(tokens.accessToken()).get("active").asBoolean()).isFalse();
    }

    private static JsonNode introspect(String token) throws Exception {
        Request request = new Request.Builder()
                .url(realm.introspectionEndpoint())
                .header("Authorization", Credentials.basic("mcp-server", serverSecret))
                .post(new FormBody.Builder().add("token", token).build())
                .build();
        try (Response response = realm.server().admin().http().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return KeycloakAdmin.JSON.readTree(response.body().string());
        }
    }
}
