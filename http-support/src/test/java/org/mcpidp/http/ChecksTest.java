package org.mcpidp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void whenASecretComesWithATrailingNewlineThenItIsStripped() {
        assertThat(Checks.text("s3cr3t\n", "clientSecret")).isEqualTo("s3cr3t");
    }

    @Test
    void whenTextIsBlankOrMissingThenTheSettingIsNamed() {
        assertThatThrownBy(() -> Checks.text(" \n", "clientSecret")).hasMessage("clientSecret must not be blank");
        assertThatThrownBy(() -> Checks.text(null, "clientId")).hasMessage("clientId must not be blank");
    }

    @Test
    void whenADurationIsZeroOrNegativeThenItIsRefusedWithItsValue() {
        assertThatThrownBy(() -> Checks.positive(Duration.ZERO, "callTimeout"))
                .hasMessage("callTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> Checks.notNegative(Duration.ofSeconds(-1), "queueTimeout"))
                .hasMessage("queueTimeout must not be negative, got PT-1S");
        assertThat(Checks.notNegative(Duration.ZERO, "queueTimeout")).isZero();
    }
}
