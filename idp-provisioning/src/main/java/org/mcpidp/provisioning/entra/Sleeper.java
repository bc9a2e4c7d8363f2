package org.mcpidp.provisioning.entra;

import java.time.Duration;

/** Waits between retries; injected so tests check the waits instead of sleeping them. */
@FunctionalInterface
interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper real() {
        return duration -> Thread.sleep(duration);
    }
}
