package org.mcpidp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HttpClientSettingsTest {

    private static final HttpClientSettings SETTINGS =
            new HttpClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 16);

    @Test
    void whenATimeoutIsNotPositiveThenTheErrorNamesTheSettingAndTheValue() {
        assertThatThrownBy(() -> SETTINGS.withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> SETTINGS.withReadTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readTimeout must be positive, got PT-0.001S");
        assertThatThrownBy(() -> SETTINGS.withReadTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("readTimeout");
    }

    @Test
    void whenMaxConcurrentIsBelowOneThenTheErrorNamesIt() {
        assertThatThrownBy(() -> SETTINGS.withMaxConcurrent(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrent must be at least 1, got 0");
    }

    @Test
    void whenSettingsChangeThenOnlyThatSettingChanges() {
        HttpClientSettings changed = SETTINGS.withReadTimeout(Duration.ofSeconds(9)).withMaxConcurrent(3);
        assertThat(changed).isEqualTo(new HttpClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(9), 3));
        assertThat(changed.callTimeout()).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void whenBoundedThenTimeoutsAreSetAndRedirectsAreNeverFollowed() {
        OkHttpClient client = OkHttpClients.bounded(null, SETTINGS);
        assertThat(client.connectTimeoutMillis()).isEqualTo(2_000);
        assertThat(client.readTimeoutMillis()).isEqualTo(5_000);
        assertThat(client.callTimeoutMillis()).isEqualTo(7_000);
        assertThat(client.followRedirects()).isFalse();
        assertThat(client.followSslRedirects()).isFalse();
    }

    @Test
    void whenDerivedFromACallersClientThenItsPoolAndDispatcherAreShared() {
        OkHttpClient callers = new OkHttpClient.Builder().followRedirects(true).build();
        OkHttpClient client = OkHttpClients.bounded(callers, SETTINGS);
        assertThat(client.connectionPool()).isSameAs(callers.connectionPool());
        assertThat(client.dispatcher()).isSameAs(callers.dispatcher());
        assertThat(client.followRedirects()).isFalse();
    }
}
