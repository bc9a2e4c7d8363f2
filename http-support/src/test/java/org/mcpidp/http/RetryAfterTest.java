package org.mcpidp.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void whenDeltaSecondsThenThatWait() {
        assertThat(RetryAfter.parse(" 17 ", NOW)).contains(Duration.ofSeconds(17));
    }

    @Test
    void whenAnHttpDateThenTheWaitUntilIt() {
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 12:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void whenTheDateIsPastOrTheNumberNegativeThenNoWait() {
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("-5", NOW)).contains(Duration.ZERO);
    }

    @Test
    void whenAbsentBlankOrGarbageThenEmpty() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(" ", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    }
}
