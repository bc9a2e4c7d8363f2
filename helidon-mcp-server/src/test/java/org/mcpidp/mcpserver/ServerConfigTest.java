package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final Map<String, String> VALID = Map.of(
            "mcp.auth.issuers.0.url", "http://127.0.0.1:8081/realms/demo",
            "mcp.auth.issuers.0.client-id", "mcp-server",
            "mcp.auth.issuers.0.client-secret", "s3cret");

    private static Config config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(VALID);
        values.putAll(overrides);
        values.values().removeIf(String::isEmpty);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
    }

    @Test
    void whenDefaultsThenResourceIsTheLocalMcpUrlAndAudiencesIncludeTheClientId() {
        ServerConfig settings = ServerConfig.from(config(Map.of()), Map.of());

        assertThat(settings.resource().toString()).isEqualTo("http://127.0.0.1:8080/mcp");
        assertThat(settings.audiences()).containsExactlyInAnyOrder("http://127.0.0.1:8080/mcp", "mcp-server");
        assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.cache().enabled()).isTrue();
    }

    @Test
    void whenAllowedOriginsAreGivenAsAListOrCommaSeparatedThenAllAreRead() {
        assertThat(ServerConfig.from(config(Map.of("mcp.allowed-origins.0", "http://localhost:6274",
                "mcp.allowed-origins.1", "https://app.example")), Map.of()).allowedOrigins())
                .containsExactly("http://localhost:6274", "https://app.example");
        assertThat(ServerConfig.from(config(Map.of("mcp.allowed-origins", "http://localhost:6274, https://app.example")),
                Map.of()).allowedOrigins()).containsExactly("http://localhost:6274", "https://app.example");
        assertThat(ServerConfig.from(config(Map.of()), Map.of()).allowedOrigins()).isEmpty();
    }

    @Test
    void whenAnAllowedOriginHasAPathOrAnAllowedHostIsAUrlThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.allowed-origins", "https://app.example/x")), Map.of()))
                .hasMessageContaining("mcp.allowed-origins");
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.allowed-hosts", "https://proxy.example")), Map.of()))
                .hasMessageContaining("mcp.allowed-hosts");
    }

    @Test
    void whenNoIssuerIsConfiguredThenStartupNamesTheKeyInsteadOfTrustingADefault() {
        // application.yaml names no issuer (issue 16): nothing but the operator's configuration may pick one
        Map<String, String> none = Map.of("mcp.auth.issuers.0.url", "", "mcp.auth.issuers.0.client-id", "",
                "mcp.auth.issuers.0.client-secret", "");

        assertThatThrownBy(() -> ServerConfig.from(config(none), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.auth.issuers")
                .hasMessageContaining("required");
        assertThat(ServerConfig.from(config(Map.of("mcp.auth.enabled", "false", "mcp.auth.issuers.0.url", "",
                "mcp.auth.issuers.0.client-id", "", "mcp.auth.issuers.0.client-secret", "")),
                Map.of(ServerConfig.AUTH_DISABLED_ACK, "true")).issuers()).isEmpty();
    }

    @Test
    void whenIntrospectionSecretIsMissingThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.auth.issuers.0.client-secret", "")), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.auth.issuers.0.client-secret");
    }

    @Test
    void whenModeIsUnknownThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.auth.issuers.0.mode", "magic")), Map.of()))
                .hasMessageContaining("mcp.auth.issuers.0.mode");
    }

    @Test
    void whenJwtModeHasASecretThenItIsContradictory() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.auth.issuers.0.mode", "jwt")), Map.of()))
                .hasMessageContaining("mcp.auth.issuers.0.client-secret")
                .hasMessageContaining("jwt");
    }

    @Test
    void whenHostIsAWildcardWithoutResourceThenStartupFails() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("server.host", "0.0.0.0")), Map.of()))
                .hasMessageContaining("mcp.resource");
    }

    @Test
    void whenAuthIsDisabledWithoutTheAcknowledgementThenStartupFails() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.auth.enabled", "false")), Map.of()))
                .hasMessageContaining("mcp.auth.enabled")
                .hasMessageContaining(ServerConfig.AUTH_DISABLED_ACK);
    }

    @Test
    void whenAuthIsDisabledWithTheAcknowledgementThenItIsAccepted() {
        ServerConfig settings = ServerConfig.from(config(Map.of("mcp.auth.enabled", "false")),
                Map.of(ServerConfig.AUTH_DISABLED_ACK, "true"));

        assertThat(settings.authEnabled()).isFalse();
    }

    @Test
    void whenDurationIsMalformedThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("mcp.auth.leeway", "60 seconds")), Map.of()))
                .hasMessageContaining("mcp.auth.leeway");
    }

    @Test
    void whenAudiencesAreCommaSeparatedThenEachIsAccepted() {
        ServerConfig settings = ServerConfig.from(config(Map.of("mcp.auth.audiences", "a, b")), Map.of());

        assertThat(settings.audiences()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void whenPrintedThenTheSecretIsNotShown() {
        assertThat(ServerConfig.from(config(Map.of()), Map.of()).toString()).doesNotContain("s3cret");
    }
}
