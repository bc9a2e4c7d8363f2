package org.mcpidp.mcpauth.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }

    @Test
    void whenNothingIsSetThenTheDefaultsApply() {
        assertThat(AuditSettings.from(config(Map.of()))).isEqualTo(AuditSettings.defaults());
    }

    @Test
    void whenArgumentsAreListedPerToolThenTheyAreRead() {
        AuditSettings settings = AuditSettings.from(config(Map.of(
                "mcp.audit.arguments.create_product.0", "name",
                "mcp.audit.arguments.create_product.1", "price",
                "mcp.audit.queue-size", "16",
                "mcp.audit.accept-request-id", "false")));
        assertThat(settings.arguments()).isEqualTo(Map.of("create_product", Set.of("name", "price")));
        assertThat(settings.queueSize()).isEqualTo(16);
        assertThat(settings.acceptRequestId()).isFalse();
    }

    @Test
    void whenAValueIsBadThenTheErrorNamesItsKey() {
        assertThatThrownBy(() -> AuditSettings.from(config(Map.of("mcp.audit.queue-size", "many"))))
                .hasMessageStartingWith("mcp.audit.queue-size: must be a number");
        assertThatThrownBy(() -> AuditSettings.from(config(Map.of("mcp.audit.queue-size", "0"))))
                .hasMessageStartingWith("mcp.audit.queue-size: 0 is not within");
        assertThatThrownBy(() -> AuditSettings.from(config(Map.of("mcp.audit.enabled", "maybe"))))
                .hasMessageStartingWith("mcp.audit.enabled: must be true or false");
    }
}
