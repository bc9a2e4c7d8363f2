package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * RFC 9728 {@code authorization_servers} never holds a literal {@code {tenantid}} URL: a multi-tenant Entra issuer
 * (a template) is published as one issuer per allowed tenant, explicit servers replace the derived list, and a
 * template that cannot be expanded stops the server at startup asking for {@code mcp.authorization-servers}. Entra is
 * not reachable from here; only configuration is involved (no token, no IdP call).
 */
class AuthorizationServersTest {

    private static final String TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";
    private static final String TENANT_A = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String TENANT_B = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final Map<String, String> MULTI_TENANT = Map.of(
            "server.host", "127.0.0.1",
            "server.port", "8080",
            "mcp.auth.audiences", "6e74172b-be56-4843-9ff4-e66a39bb12e3",
            "mcp.auth.issuers.0.url", TEMPLATE,
            "mcp.auth.issuers.0.mode", "jwt",
            "mcp.auth.issuers.0.profile", "entra",
            "mcp.auth.issuers.0.discovery-url",
            "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
            "mcp.auth.issuers.0.tenants", TENANT_A + "," + TENANT_B);

    private static BearerAuthFeature.Builder configured(Map<String, String> values, Map<String, String> env) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
        return BearerAuthFeature.builder().config(config, env);
    }

    private static List<String> authorizationServers(BearerAuthFeature feature) throws Exception {
        JsonNode document = new ObjectMapper().readTree(feature.metadataDocument());
        List<String> servers = new ArrayList<>();
        document.path("authorization_servers").forEach(server -> servers.add(server.asText()));
        return servers;
    }

    @Test
    void whenTheIssuerIsAMultiTenantTemplateThenEachAllowedTenantsIssuerIsPublished() throws Exception {
        BearerAuthFeature feature = configured(MULTI_TENANT, Map.of()).build();

        assertThat(authorizationServers(feature)).containsExactly(
                "https://login.microsoftonline.com/" + TENANT_A + "/v2.0",
                "https://login.microsoftonline.com/" + TENANT_B + "/v2.0");
        assertThat(feature.metadataDocument()).doesNotContain("{tenantid}").doesNotContain("%7Btenantid%7D");
    }

    @Test
    void whenAuthorizationServersAreConfiguredThenTheyAreWhatIsPublished() throws Exception {
        Map<String, String> values = new HashMap<>(MULTI_TENANT);
        values.put("mcp.authorization-servers", "https://login.microsoftonline.com/" + TENANT_A + "/v2.0");

        assertThat(authorizationServers(configured(values, Map.of()).build()))
                .containsExactly("https://login.microsoftonline.com/" + TENANT_A + "/v2.0");
    }

    @Test
    void whenAConfiguredAuthorizationServerIsATemplateThenStartupNamesTheKey() {
        Map<String, String> values = new HashMap<>(MULTI_TENANT);
        values.put("mcp.authorization-servers", TEMPLATE);

        assertThatThrownBy(() -> configured(values, Map.of()))
                .hasMessageContaining("mcp.authorization-servers").hasMessageContaining("{tenantid}");
    }

    @Test
    void whenAuthIsOffAndATemplateHasNoTenantsThenStartupAsksForAuthorizationServers() {
        Map<String, String> values = new HashMap<>(MULTI_TENANT);
        values.remove("mcp.auth.issuers.0.tenants");
        values.put("mcp.auth.enabled", "false");
        Map<String, String> ack = Map.of(BearerAuthFeature.AUTH_DISABLED_ACK, "true");

        assertThatThrownBy(() -> configured(values, ack))
                .hasMessageContaining("mcp.authorization-servers").hasMessageContaining(TEMPLATE);

        values.put("mcp.authorization-servers", "https://login.microsoftonline.com/" + TENANT_B + "/v2.0");
        assertThat(configured(values, ack).build().metadataDocument()).doesNotContain("{tenantid}")
                .contains(TENANT_B);
    }

    @Test
    void whenAuthIsOffAndATemplateHasTenantsThenEachTenantsIssuerIsPublished() throws Exception {
        Map<String, String> values = new HashMap<>(MULTI_TENANT);
        values.put("mcp.auth.enabled", "false");

        BearerAuthFeature feature = configured(values, Map.of(BearerAuthFeature.AUTH_DISABLED_ACK, "true")).build();

        assertThat(authorizationServers(feature)).hasSize(2).noneMatch(server -> server.contains("{tenantid}"));
    }

    @Test
    void whenATemplateIsAddedInCodeThenItIsRefused() {
        assertThatThrownBy(() -> BearerAuthFeature.builder().addAuthorizationServer(TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mcp.authorization-servers");
    }

    @Test
    void whenTheVerifierIsGivenInCodeThenItsTemplateIsExpandedToo() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences("api").build())
                .issuer(TrustedIssuer.entra(TEMPLATE).jwksUri("https://login.microsoftonline.com/common/discovery/v2.0/keys")
                        .tenants(TENANT_B).build())
                .issuer(TrustedIssuer.jwt("https://kc.example.test/realms/mcp").build())
                .build();
        BearerAuthFeature feature = BearerAuthFeature.builder().verifier(verifier)
                .resource(java.net.URI.create("https://mcp.example.test/mcp")).build();

        assertThat(authorizationServers(feature)).containsExactly(
                "https://login.microsoftonline.com/" + TENANT_B + "/v2.0", "https://kc.example.test/realms/mcp");
    }
}
