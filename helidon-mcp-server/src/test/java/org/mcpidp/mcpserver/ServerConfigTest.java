package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's own keys; the {@code mcp.*} keys are the library's (FeatureConfigTest in helidon-mcp-auth). */
class ServerConfigTest {

    private static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides), ConfigSources.classpath("application.yaml"))
                .build();
    }

    @Test
    void whenDefaultsThenTheServerListensOnLoopbackPort8080AndObserveSharesIt() {
        ServerConfig settings = ServerConfig.from(config(Map.of()));

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.observe().port()).isEmpty();
    }

    @Test
    void whenThePortIsNotAPortThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("server.port", "70000"))))
                .hasMessageContaining("server.port");
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("server.port", "eighty"))))
                .hasMessageContaining("server.port");
    }

    @Test
    void whenTheObservePortIsTheServerPortThenStartupNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(config(Map.of("server.port", "9000", "observe.port", "9000"))))
                .hasMessageContaining("observe.port");
    }
}
