package org.mcpidp.verifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A cold cache's stampede: many virtual threads verify one token at the same instant (released by one latch). */
final class Stampede {

    private Stampede() {
    }

    /** The {@code callers} answers, each awaited for at most {@code timeout}; a failed verify fails the call. */
    static List<AuthInfo> verify(TokenVerifier verifier, String token, int callers, Duration timeout)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AuthInfo>> results = new ArrayList<>();
        List<AuthInfo> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return verifier.verify(token);
                }));
            }
            go.countDown();
            for (Future<AuthInfo> result : results) {
                answers.add(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        return answers;
    }
}
