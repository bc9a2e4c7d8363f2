package org.mcpidp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallLimiterTest {

    @Test
    void whenAllPermitsAreHeldThenTheNextCallerIsTurnedAwayAfterTheQueueTimeoutAndCounted() {
        CallLimiter limiter = new CallLimiter(2, Duration.ofMillis(20));
        Optional<CallLimiter.Permit> first = limiter.acquire();
        Optional<CallLimiter.Permit> second = limiter.acquire();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(limiter.acquire()).isEmpty();
        assertThat(limiter.rejected()).isEqualTo(1);

        first.get().close();
        assertThat(limiter.acquire()).isPresent();
    }

    @Test
    void whenAPermitIsClosedTwiceThenItFreesOnlyOnePlace() {
        CallLimiter limiter = new CallLimiter(1, Duration.ofMillis(10));
        CallLimiter.Permit permit = limiter.acquire().orElseThrow();
        permit.close();
        permit.close();

        assertThat(limiter.acquire()).isPresent();
        assertThat(limiter.acquire()).isEmpty();
    }

    @Test
    void whenTheWaitIsInterruptedThenNoPermitAndTheInterruptFlagIsKept() {
        CallLimiter limiter = new CallLimiter(1, Duration.ofSeconds(30));
        limiter.acquire().orElseThrow();
        Thread.currentThread().interrupt();
        try {
            assertThat(limiter.acquire()).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void whenTheBoundIsBelowOneThenItIsRefused() {
        assertThatThrownBy(() -> new CallLimiter(0, Duration.ofSeconds(1)))
                .hasMessageContaining("maxInFlight must be at least 1");
    }
}
