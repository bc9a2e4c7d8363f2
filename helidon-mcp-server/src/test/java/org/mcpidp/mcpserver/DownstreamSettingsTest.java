package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpserver.tools.ProductStore;

class DownstreamSettingsTest {

    private static final Map<String, String> INTROSPECTION = Map.of(
            "mcp.auth.issuers.0.url", "http://127.0.0.1:8081/realms/demo",
            "mcp.auth.issuers.0.client-id", "mcp-server",
            "mcp.auth.issuers.0.client-secret", "s3cret");

    private static Config config(Map<String, String> base, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(base);
        values.putAll(overrides);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
    }

    private static DownstreamSettings settings(Map<String, String> base, Map<String, String> overrides) {
        Config config = config(base, overrides);
        return DownstreamSettings.from(config).orElse(null);
    }

    @Test
    void whenNoOrdersApiUrlThenNoDownstreamAndNoListOrdersTool() {
        Config config = config(INTROSPECTION, Map.of());

        assertThat(DownstreamSettings.from(config)).isEmpty();
        List<SdkTool> tools = Main.tools(ProductStore.withSamples());
        assertThat(tools).extracting(tool -> tool.definition().name()).doesNotContain("list_orders");
    }

    @Test
    void whenOrdersApiUrlSetThenTheTokenEndpointFollowsTheIssuerAndTheServersClientExchanges() {
        DownstreamSettings downstream = settings(INTROSPECTION, Map.of("mcp.downstream.orders-api.url",
                "http://127.0.0.1:8090"));

        assertThat(downstream.ordersApi().toString()).isEqualTo("http://127.0.0.1:8090/");
        assertThat(downstream.tokenEndpoint().toString())
                .isEqualTo("http://127.0.0.1:8081/realms/demo/protocol/openid-connect/token");
        assertThat(downstream.clientId()).isEqualTo("mcp-server");
        assertThat(downstream.toString()).doesNotContain("s3cret");
    }

    @Test
    void whenTokenEndpointSetThenItWins() {
        DownstreamSettings downstream = settings(INTROSPECTION, Map.of("mcp.downstream.orders-api.url",
                "http://orders-api:8090", "mcp.downstream.token-endpoint",
                "http://keycloak:8080/realms/demo/protocol/openid-connect/token"));

        assertThat(downstream.tokenEndpoint().host()).isEqualTo("keycloak");
        // the exchange stays bound to the issuer whose tokens it takes, whatever address reaches its endpoint
        assertThat(downstream.issuer()).isEqualTo("http://127.0.0.1:8081/realms/demo");
    }

    @Test
    void whenOrdersApiUrlIsNotAUrlThenStartupNamesTheKey() {
        assertThatThrownBy(() -> settings(INTROSPECTION, Map.of("mcp.downstream.orders-api.url", "orders-api:8090")))
                .hasMessageStartingWith("configuration mcp.downstream.orders-api.url must be an http(s) URL");
    }

    @Test
    void whenTheIssuerHasNoClientSecretThenStartupNamesTheKeyAndSaysWhatIsMissing() {
        Map<String, String> jwt = Map.of("mcp.auth.issuers.0.url", "http://127.0.0.1:8081/realms/demo",
                "mcp.auth.issuers.0.mode", "jwt");
        assertThatThrownBy(() -> settings(jwt, Map.of("mcp.downstream.orders-api.url", "http://127.0.0.1:8090")))
                .hasMessageStartingWith("configuration mcp.downstream.orders-api.url needs")
                .hasMessageContaining("mcp.auth.issuers.0.client-secret");
    }

    @Test
    void whenOnlyTheTokenEndpointIsSetThenStartupNamesIt() {
        assertThatThrownBy(() -> settings(INTROSPECTION, Map.of("mcp.downstream.token-endpoint",
                "http://keycloak:8080/realms/demo/protocol/openid-connect/token")))
                .hasMessage("configuration mcp.downstream.token-endpoint is set but mcp.downstream.orders-api.url is not");
    }
}
