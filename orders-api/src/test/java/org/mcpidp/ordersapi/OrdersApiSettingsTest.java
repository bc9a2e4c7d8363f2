package org.mcpidp.ordersapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrdersApiSettingsTest {

    @Test
    void whenOnlyIssuerSetThenDefaults() {
        OrdersApiSettings settings = OrdersApiSettings.from(config(Map.of("orders-api.issuer", "http://kc/realms/x")));

        assertThat(settings.port()).isEqualTo(8090);
        assertThat(settings.audience()).isEqualTo("orders-api");
        assertThat(settings.requiredScope()).isEqualTo("orders:read");
        assertThat(settings.recordTokenHashes()).isFalse();
    }

    @Test
    void whenIssuerMissingThenKeyNamed() {
        assertThatThrownBy(() -> OrdersApiSettings.from(config(Map.of())))
                .hasMessageContaining("orders-api.issuer").hasMessageContaining("ORDERS_API_ISSUER");
    }

    @Test
    void whenPortNotANumberThenKeyNamed() {
        assertThatThrownBy(() -> OrdersApiSettings.from(config(Map.of("orders-api.issuer", "http://kc/realms/x",
                "orders-api.port", "eighty"))))
                .hasMessage("configuration orders-api.port must be a number");
    }

    @Test
    void whenRecordSwitchNotBooleanThenKeyNamed() {
        assertThatThrownBy(() -> OrdersApiSettings.from(config(Map.of("orders-api.issuer", "http://kc/realms/x",
                "orders-api.record-token-hashes", "yes"))))
                .hasMessageContaining("orders-api.record-token-hashes");
    }

    @Test
    void whenIssuerNotAUrlThenKeyNamed() {
        assertThatThrownBy(() -> OrdersApiSettings.from(config(Map.of("orders-api.issuer", "kc-realm"))))
                .hasMessageContaining("orders-api.issuer must be an http(s) URL");
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().sources(ConfigSources.create(values))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
    }
}
