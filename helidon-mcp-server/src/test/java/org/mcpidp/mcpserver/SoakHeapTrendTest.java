package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak's heap verdict on made-up samples, 35 MB flat plus what a leak adds: the CI mode's nine samples 3,000
 * cycles apart (15 s at 200 cycles/s), and the full run's 31 samples 12,000 cycles apart (60 s).
 */
class SoakHeapTrendTest {

    private static final long MB = 1024 * 1024;

    @Test
    void whenOneSampleIsFourMegabytesOffThenTheHeapVerdictIsOk() {
        // The swing (34.4 MB flat, then 38.5 MB), on the last sample where it weighs most.
        List<Soak.HeapSample> samples = samples(9, 3_000, 0);
        Soak.HeapSample last = samples.getLast();
        samples.set(8, new Soak.HeapSample(last.cycles(), last.heapAfterGc() + 4 * MB));

        Soak.HeapTrend trend = Soak.HeapTrend.of(samples);

        assertThat(trend.mbPer10kCycles()).isBetween(0.8, 0.9);
        assertThat(trend.riseMb()).isBetween(2.0, 2.2);
        assertThat(trend.failure()).isEmpty();
    }

    @Test
    void whenEveryCycleKeepsTwoKilobytesThenTheVerdictNamesTwentyMegabytesPer10kCycles() {
        Soak.HeapTrend trend = Soak.HeapTrend.of(samples(9, 3_000, 2048));

        assertThat(trend.mbPer10kCycles()).isCloseTo(19.53, within(0.01));
        assertThat(trend.failure()).hasValue("heap after GC grows +19.53 MB per 10,000 cycles (bound 2.00): least "
                + "squares over 9 samples, 24,000 cycles, 35.0 MB -> 81.9 MB");
    }

    @Test
    void whenALongRunKeepsFiftyBytesPerCycleThenTheRiseOverTheRunFailsIt() {
        // 0.48 MB per 10,000 cycles is under the slope bound, but 17 MB over 360,000 cycles is a leak.
        Soak.HeapTrend trend = Soak.HeapTrend.of(samples(31, 12_000, 50));

        assertThat(trend.mbPer10kCycles()).isCloseTo(0.48, within(0.01))
                .isLessThan(Soak.HEAP_BOUND_MB_PER_10K_CYCLES);
        assertThat(trend.failure()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("heap after GC grows +0.48 MB per 10,000 cycles, +17.2 MB over the run's 360,000 cycles "
                        + "(bound 3.5: 10% of 35.0 MB)"));
    }

    @Test
    void whenTheHeapIsFlatThenTheTrendIsZero() {
        Soak.HeapTrend trend = Soak.HeapTrend.of(samples(9, 3_000, 0));

        assertThat(trend.mbPer10kCycles()).isZero();
        assertThat(trend.failure()).isEmpty();
    }

    private static List<Soak.HeapSample> samples(int count, long cyclesApart, long leakBytesPerCycle) {
        List<Soak.HeapSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long cycles = i * cyclesApart;
            samples.add(new Soak.HeapSample(12_000 + cycles, 35 * MB + cycles * leakBytesPerCycle));
        }
        return samples;
    }
}
