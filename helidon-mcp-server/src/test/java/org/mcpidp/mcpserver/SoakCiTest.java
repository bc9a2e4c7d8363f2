package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The soak's CI mode: a one-minute warm-up (two token rotations), then two measured minutes with a report and a heap
 * sample every 15 s and token rotation every 30 s; the verdict must be {@code SOAK ok}.
 */
class SoakCiTest {

    @Test
    void whenTheServerRunsTwoMinutesUnderLoadWithTokenChurnThenTheSoakVerdictIsOk() {
        String minutes = System.getProperty("soak.minutes", "2");
        String verdict = Soak.run(new String[] {"--minutes", minutes, "--warmup-seconds", "60",
                "--report-seconds", "15", "--rotate-seconds", "30"}, System.out);
        assertThat(verdict).isEqualTo("SOAK ok");
    }
}
