package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's heap trend on made-up samples: the CI mode's nine samples, 3,000 cycles apart (15 s at 200/s). */
class SoakHeapTrendTest {

    private static final long MB = 1024 * 1024;

    @Test
    void whenOneSampleIsFourMegabytesOffThenTheTrendStaysUnderTheBound() {
        // The swing (34.4 MB flat, then 38.5 MB), on the last sample where it weighs most.
        List<Soak.HeapSample> samples = samples(9, 0);
        long last = samples.getLast().cycles();
        samples.set(8, new Soak.HeapSample(last, samples.getLast().heapAfterGc() + 4 * MB));

        assertThat(Soak.heapTrendMbPer10kCycles(samples)).isBetween(0.8, 0.9)
                .isLessThan(Soak.HEAP_BOUND_MB_PER_10K_CYCLES);
    }

    @Test
    void whenEveryCycleKeepsTwoKilobytesThenTheTrendIsTwentyMegabytesPer10kCycles() {
        assertThat(Soak.heapTrendMbPer10kCycles(samples(9, 2048))).isCloseTo(19.53, within(0.01))
                .isGreaterThan(5 * Soak.HEAP_BOUND_MB_PER_10K_CYCLES);
    }

    @Test
    void whenTheHeapIsFlatThenTheTrendIsZero() {
        assertThat(Soak.heapTrendMbPer10kCycles(samples(9, 0))).isZero();
    }

    private static List<Soak.HeapSample> samples(int count, long leakBytesPerCycle) {
        List<Soak.HeapSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long cycles = 12_000 + i * 3_000L;
            samples.add(new Soak.HeapSample(cycles, 35 * MB + cycles * leakBytesPerCycle));
        }
        return samples;
    }
}
