package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/** The provisioning output works end to end: an agent's token is accepted by the server's introspection. */
@ExtendWith(KeycloakExtension.class)
class ProvisionedTokenIntrospectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void whenAgentTokenIsIntrospectedByTheServerClientThenItIsActiveWithBothAudiencesAndTheScope(KeycloakServer server)
            throws Exception {
        String realm = TenantFixture.randomRealm();
        Map<String, String> secrets = new HashMap<>();
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            var spec = TenantFixture.tenant(dir, TenantFixture.demo(realm));
            provisioner.apply(provisioner.plan(spec), secrets::put, ApplyListener.silent());
            OkHttpClient http = server.admin().http();
            String tokenEndpoint = server.issuer(realm) + "/protocol/openid-connect/token";

            JsonNode token = post(http, tokenEndpoint, "agent-reader", secrets.get("AGENT_READER_SECRET"),
                    new FormBody.Builder().add("grant_type", "client_credentials").add("scope", "mcp:read").build());
            JsonNode introspection = post(http, tokenEndpoint + "/introspect", "mcp-server", secrets.get("MCP_SERVER_SECRET"),
                    new FormBody.Builder().add("token", token.get("access_token").asText()).build());

            assertThat(introspection.get("active").isBoolean()).isTrue();
            assertThat(introspection.get("active").asBoolean()).isTrue();
            List<String> audiences = new ArrayList<>();
            introspection.get("aud").forEach(a -> audiences.add(a.asText()));
            assertThat(audiences).contains("http://127.0.0.1:8080/mcp", "mcp-server");
            assertThat(introspection.get("scope").asText().split(" ")).contains("mcp:read").doesNotContain("mcp:write");
            assertThat(introspection.get("client_id").asText()).isEqualTo("agent-reader");
        } finally {
            server.admin().delete("/" + realm);
        }
    }

    private static JsonNode post(OkHttpClient http, String url, String clientId, String secret, FormBody form)
            throws Exception {
        Request request = new Request.Builder().url(url).header("Authorization", Credentials.basic(clientId, secret))
                .post(form).build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as("HTTP status of %s", url).isEqualTo(200);
            return JSON.readTree(body);
        }
    }
}
