package org.mcpidp.verifier;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs the periodic metadata refreshes; tests inject one that runs a refresh when they say so. */
@FunctionalInterface
interface MetadataScheduler {

    /** Runs {@code task} every {@code interval} until it throws. */
    void every(Duration interval, Runnable task);

    /**
     * One daemon thread for every verifier in the JVM: a refresh is one short HTTP call with timeouts, minutes
     * apart. A verifier needs no close(): its task holds it weakly and ends when it is gone.
     */
    MetadataScheduler SHARED = new MetadataScheduler() {
        private final ScheduledThreadPoolExecutor executor = executor();

        @Override
        public void every(Duration interval, Runnable task) {
            long nanos = interval.toNanos();
            executor.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
        }

        private static ScheduledThreadPoolExecutor executor() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().name("mcpidp-metadata-refresh").daemon().factory());
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    };

    /** Refreshes {@code metadata} every {@code interval} for as long as something else still holds it. */
    static void refreshEvery(MetadataScheduler scheduler, Duration interval, LiveMetadata metadata) {
        WeakReference<LiveMetadata> held = new WeakReference<>(metadata);
        scheduler.every(interval, () -> {
            LiveMetadata live = held.get();
            if (live == null) {
                throw new CancellationException("the verifier is gone"); // ends the schedule
            }
            live.refresh();
        });
    }
}
