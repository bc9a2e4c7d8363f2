package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scopes named the way Microsoft Entra ID expects them: Entra names a delegated scope {@code <Application ID URI>/<value>}
 * and idp-provisioning's Entra target makes the Application ID URI the MCP server's canonical URL, so a client must ask
 * for {@code https://<mcp url>/mcp:read} while the token carries {@code mcp:read} in {@code scp}. Entra cannot be
 * reached from here: the tokens are a local issuer's, carrying the bare scope as Entra's would.
 */
class EntraScopeNamesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private SdkTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void whenScopesAreQualifiedByTheResourceThenMetadataAndChallengesNameResourceSlashScope() throws Exception {
        server = SdkTestServer.start(engine -> engine, feature -> feature.scopesQualifiedByResource(true));
        String writer = server.token("carol", "mcp:write");

        SdkTestServer.Reply refused = server.erase(writer, "a", Map.of(), false);
        JsonNode metadata = metadata(server.url);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).contains("scope=\"" + server.url + "/mcp:admin\"");
        assertThat(metadata.path("resource").asText()).isEqualTo(server.url);
        assertThat(strings(metadata.path("scopes_supported"))).containsExactly(server.url + "/mcp:admin");
    }

    @Test
    void whenTheTokenCarriesTheBareScopeAsEntrasDoThenTheToolRuns() {
        server = SdkTestServer.start(engine -> engine, feature -> feature.scopesQualifiedByResource(true));
        String admin = server.token("root", "mcp:admin");

        SdkTestServer.Reply reply = server.erase(admin, "a", Map.of(), true);

        // erase's first step asks the caller to confirm: the tool ran, the bare scope was enough
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("resultType").asText()).isEqualTo("input_required");
    }

    @Test
    void whenConfiguredWithATrailingSlashResourceThenTheQualifiedNamesUseTheCanonicalUrl() {
        BearerAuthFeature feature = configured(Map.of("mcp.resource", "https://MCP.Contoso.example/mcp/",
                "mcp.auth.scopes-qualified-by-resource", "true")).addScopeSupported("mcp:read").build();

        assertThat(feature.resource()).hasToString("https://mcp.contoso.example/mcp");
        assertThat(feature.metadataDocument()).contains("\"resource\":\"https://mcp.contoso.example/mcp\"")
                .contains("\"scopes_supported\":[\"https://mcp.contoso.example/mcp/mcp:read\"]");
    }

    @Test
    void whenAPrefixWithASchemeLacksTheFinalSlashThenStartupNamesTheKey() {
        assertThatThrownBy(() -> configured(Map.of("mcp.auth.scope-prefix", "api://5f0c7a2e-0000-4000-8000-000000000001")))
                .hasMessageContaining("mcp.auth.scope-prefix").hasMessageContaining("must end with /");
    }

    @Test
    void whenBothWaysOfNamingScopesAreSetThenStartupRefuses() {
        assertThatThrownBy(() -> configured(Map.of("mcp.auth.scope-prefix", "api://x/",
                "mcp.auth.scopes-qualified-by-resource", "true")))
                .hasMessageContaining("mcp.auth.scopes-qualified-by-resource").hasMessageContaining("set one");
    }

    private static BearerAuthFeature.Builder configured(Map<String, String> values) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("server.host", "127.0.0.1", "server.port", "8080",
                "mcp.auth.issuers.0.url", "https://login.microsoftonline.com/6f1d2c3b-0000-4000-8000-00000000beef/v2.0",
                "mcp.auth.issuers.0.mode", "jwt", "mcp.auth.issuers.0.profile", "entra",
                "mcp.auth.issuers.0.jwks-uri", "https://login.microsoftonline.com/common/discovery/v2.0/keys",
                "mcp.auth.audiences", "5f0c7a2e-0000-4000-8000-000000000001"));
        all.putAll(values);
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(all)).build();
        return BearerAuthFeature.builder().config(config, Map.of());
    }

    private static JsonNode metadata(String mcpUrl) throws Exception {
        URI url = URI.create(mcpUrl);
        URI wellKnown = url.resolve("/.well-known/oauth-protected-resource" + url.getPath());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(wellKnown).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
