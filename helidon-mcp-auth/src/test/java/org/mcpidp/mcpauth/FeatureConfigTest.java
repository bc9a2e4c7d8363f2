package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcpidp.verifier.TokenVerifier;

/** {@link BearerAuthFeature.Builder#config}: the {@code mcp.*} keys, their defaults and the errors naming them. */
class FeatureConfigTest {

    private static final Map<String, String> VALID = Map.of(
            "server.host", "127.0.0.1",
            "server.port", "8080",
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
                .sources(ConfigSources.create(values))
                .build();
    }

    private static BearerAuthFeature.Builder configured(Map<String, String> overrides, Map<String, String> env) {
        return BearerAuthFeature.builder().config(config(overrides), env);
    }

    private static BearerAuthFeature feature(Map<String, String> overrides) {
        return configured(overrides, Map.of()).build();
    }

    private static TokenVerifier verifier(Map<String, String> overrides) {
        return feature(overrides).verifier().orElseThrow();
    }

    @Test
    void whenDefaultsThenResourceIsTheLocalMcpUrlAndAudiencesIncludeTheClientId() {
        BearerAuthFeature feature = feature(Map.of());

        assertThat(feature.resource().toString()).isEqualTo("http://127.0.0.1:8080/mcp");
        assertThat(feature.verifier().orElseThrow().policy().audiences())
                .containsExactlyInAnyOrder("http://127.0.0.1:8080/mcp", "mcp-server");
        assertThat(feature.verifier().orElseThrow().policy().leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(VerifierConfig.cache(config(Map.of()).get("mcp.auth.cache")).enabled()).isTrue();
    }

    @Test
    void whenAllowedOriginsAreGivenAsAListOrCommaSeparatedThenAllAreRead() {
        assertThat(configured(Map.of("mcp.allowed-origins.0", "http://localhost:6274",
                "mcp.allowed-origins.1", "https://app.example"), Map.of()).allowedOrigins)
                .containsExactly("http://localhost:6274", "https://app.example");
        assertThat(configured(Map.of("mcp.allowed-origins", "http://localhost:6274, https://app.example"),
                Map.of()).allowedOrigins).containsExactly("http://localhost:6274", "https://app.example");
        assertThat(configured(Map.of(), Map.of()).allowedOrigins).isEmpty();
    }

    @Test
    void whenAnAllowedOriginHasAPathOrAnAllowedHostIsAUrlThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.allowed-origins", "https://app.example/x")))
                .hasMessageContaining("mcp.allowed-origins");
        assertThatThrownBy(() -> feature(Map.of("mcp.allowed-hosts", "https://proxy.example")))
                .hasMessageContaining("mcp.allowed-hosts");
    }

    @Test
    void whenNoIssuerIsConfiguredThenStartupNamesTheKeyInsteadOfTrustingADefault() {
        // the demo's application.yaml names no issuer (issue 16): nothing but the operator's configuration may
        Map<String, String> none = Map.of("mcp.auth.issuers.0.url", "", "mcp.auth.issuers.0.client-id", "",
                "mcp.auth.issuers.0.client-secret", "");

        assertThatThrownBy(() -> feature(none))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.auth.issuers")
                .hasMessageContaining("required");
        Map<String, String> disabled = new HashMap<>(none);
        disabled.put("mcp.auth.enabled", "false");
        BearerAuthFeature.Builder builder = configured(disabled, Map.of(BearerAuthFeature.AUTH_DISABLED_ACK, "true"));
        assertThat(builder.authorizationServers).isEmpty();
        assertThat(builder.build().verifier()).isEmpty();
    }

    @Test
    void whenIntrospectionSecretIsMissingThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.issuers.0.client-secret", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.auth.issuers.0.client-secret")
                .hasMessageContaining("MCP_AUTH_ISSUERS_0_CLIENT_SECRET");
    }

    @Test
    void whenIntrospectionClientIdIsMissingThenStartupNamesTheKeyInsteadOfADefaultClient() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.issuers.0.client-id", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.auth.issuers.0.client-id")
                .hasMessageContaining("required");
    }

    @Test
    void whenModeIsUnknownThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.issuers.0.mode", "magic")))
                .hasMessageContaining("mcp.auth.issuers.0.mode");
    }

    @Test
    void whenJwtModeHasASecretThenItIsContradictory() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.issuers.0.mode", "jwt")))
                .hasMessageContaining("mcp.auth.issuers.0.client-secret")
                .hasMessageContaining("jwt");
    }

    @Test
    void whenASettingOfAnotherModeIsGivenThenTheVerifiersRuleNamesTheKey() {
        // the rule is TrustedIssuer.Builder's; the configuration only adds the key to its message
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.issuers.0.jwks-min-refresh-interval", "PT10S")))
                .hasMessageContaining("mcp.auth.issuers.0.jwks-min-refresh-interval")
                .hasMessageContaining("JWT");
    }

    @Test
    void whenHostIsAWildcardWithoutResourceThenStartupFails() {
        assertThatThrownBy(() -> feature(Map.of("server.host", "0.0.0.0")))
                .hasMessageContaining("mcp.resource");
    }

    @Test
    void whenAuthIsDisabledWithoutTheAcknowledgementThenStartupFails() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.enabled", "false")))
                .hasMessageContaining("mcp.auth.enabled")
                .hasMessageContaining(BearerAuthFeature.AUTH_DISABLED_ACK);
    }

    @Test
    void whenAuthIsDisabledWithTheAcknowledgementThenItIsAccepted() {
        BearerAuthFeature.Builder builder = configured(Map.of("mcp.auth.enabled", "false"),
                Map.of(BearerAuthFeature.AUTH_DISABLED_ACK, "true"));

        assertThat(builder.enabled).isFalse();
        assertThat(builder.build().verifier()).isEmpty();
    }

    @Test
    void whenDurationIsMalformedThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.leeway", "60 seconds")))
                .hasMessageContaining("mcp.auth.leeway");
    }

    @Test
    void whenAValueIsOutOfTheBuildersRangeThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.leeway", "PT10M")))
                .hasMessageContaining("mcp.auth.leeway");
        assertThatThrownBy(() -> feature(Map.of("mcp.max-body-size", "10")))
                .hasMessageContaining("mcp.max-body-size");
        assertThatThrownBy(() -> feature(Map.of("mcp.path", "mcp/")))
                .hasMessageContaining("mcp.path");
        assertThatThrownBy(() -> feature(Map.of("mcp.sessions.max-per-subject", "5000")))
                .hasMessageContaining("mcp.sessions.max-per-subject");
        assertThatThrownBy(() -> feature(Map.of("mcp.sessions.idle-timeout", "PT0S")))
                .hasMessageContaining("mcp.sessions.idle-timeout");
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.max-concurrent-idp-calls", "0")))
                .hasMessageContaining("mcp.auth.max-concurrent-idp-calls");
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.idp-queue-timeout", "PT0S")))
                .hasMessageContaining("mcp.auth.idp-queue-timeout");
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.cache.size", "many")))
                .hasMessageContaining("mcp.auth.cache.size");
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.scope-prefix", "api://x y/")))
                .hasMessageContaining("mcp.auth.scope-prefix");
        assertThatThrownBy(() -> feature(Map.of("mcp.resource", "ftp://mcp.example/mcp")))
                .hasMessageContaining("mcp.resource");
    }

    @Test
    void whenAudiencesAreCommaSeparatedThenEachIsAccepted() {
        assertThat(verifier(Map.of("mcp.auth.audiences", "a, b")).policy().audiences())
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void whenTheScopeHierarchyIsAListThenEachEntryIsImpliedTransitively() {
        assertThat(verifier(Map.of("mcp.auth.scope-hierarchy.0", "mcp:admin > mcp:write",
                "mcp.auth.scope-hierarchy.1", "mcp:write > mcp:read")).policy().impliedScopes())
                .isEqualTo(Map.of("mcp:admin", Set.of("mcp:write", "mcp:read"), "mcp:write", Set.of("mcp:read")));
    }

    @Test
    void whenOneValueIsLayeredOverAScopeHierarchyListThenTheValueWinsAndAnEmptyOneClearsIt() {
        // MCP_AUTH_SCOPE_HIERARCHY over an application.yaml list: Helidon merges both into one node
        Map<String, String> list = new HashMap<>(VALID);
        list.putAll(Map.of("mcp.auth.scope-hierarchy.0", "mcp:admin > mcp:write",
                "mcp.auth.scope-hierarchy.1", "mcp:write > mcp:read"));
        Config overridden = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("mcp.auth.scope-hierarchy", "mcp:admin > mcp:read,a > b c")),
                        ConfigSources.create(list))
                .build();
        Config cleared = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("mcp.auth.scope-hierarchy", "")), ConfigSources.create(list))
                .build();

        assertThat(BearerAuthFeature.builder().config(overridden, Map.of()).build().verifier().orElseThrow().policy()
                .impliedScopes()).isEqualTo(Map.of("mcp:admin", Set.of("mcp:read"), "a", Set.of("b", "c")));
        assertThat(BearerAuthFeature.builder().config(cleared, Map.of()).build().verifier().orElseThrow().policy()
                .impliedScopes()).isEmpty();
    }

    @Test
    void whenAScopeHierarchyEntryHasNoArrowThenStartupNamesTheKey() {
        assertThatThrownBy(() -> feature(Map.of("mcp.auth.scope-hierarchy", "mcp:admin mcp:write")))
                .hasMessageContaining("mcp.auth.scope-hierarchy");
    }

    @Test
    void whenPrintedThenTheSecretIsNotShown() {
        TokenVerifier verifier = verifier(Map.of());

        assertThat(verifier.toString()).doesNotContain("s3cret");
        assertThat(verifier.issuers().toString()).doesNotContain("s3cret");
    }
}
