package org.mcpidp.mcpauth.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code observe.port}: unset keeps the main port; a bad value is refused naming the key, never a stack trace. */
class ObserveSettingsTest {

    @Test
    void whenObservePortIsUnsetThenTheMainPortServesObserve() {
        assertThat(ObserveSettings.from(config(Map.of()), 8080).port()).isEmpty();
    }

    @Test
    void whenObservePortIsSetThenItIsUsed() {
        assertThat(ObserveSettings.from(config(Map.of("observe.port", "9090")), 8080).port()).hasValue(9090);
    }

    @Test
    void whenObservePortIsNotANumberThenTheKeyIsNamed() {
        assertThatThrownBy(() -> ObserveSettings.from(config(Map.of("observe.port", "metrics")), 8080))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("observe.port: ")
                .hasMessageContaining("metrics");
    }

    @Test
    void whenObservePortIsOutOfRangeThenTheKeyIsNamed() {
        assertThatThrownBy(() -> ObserveSettings.from(config(Map.of("observe.port", "70000")), 8080))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("observe.port: 70000");
    }

    @Test
    void whenObservePortIsTheMainPortThenItIsRefused() {
        assertThatThrownBy(() -> ObserveSettings.from(config(Map.of("observe.port", "8080")), 8080))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.port");
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }
}
