package org.mcpidp.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A cold cache's stampede: many virtual threads make the same call at the same instant (released by one latch), as
 * the verifier tests and the stampede benchmark need to count what reaches the identity provider.
 */
public final class Stampede {

    private Stampede() {
    }

    /** The {@code callers} answers of {@code call}, each awaited for at most {@code timeout}; a failed call fails. */
    public static <T> List<T> run(int callers, Callable<T> call, Duration timeout) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> results = new ArrayList<>();
        List<T> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            for (Future<T> result : results) {
                answers.add(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        return answers;
    }
}
