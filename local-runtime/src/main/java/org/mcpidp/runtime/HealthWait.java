package org.mcpidp.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Polls a URL (GET) until it answers 200, the deadline passes, or the thing being waited for dies. */
public final class HealthWait {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HealthWait() {
    }

    public static void untilUp(String url, Duration timeout, BooleanSupplier stillAlive, Supplier<String> failureMessage) {
        untilUp(url, timeout, stillAlive, waited -> {
        }, failureMessage);
    }

    /** As above, calling {@code progress} with the time waited so far about every 5 s. */
    public static void untilUp(String url, Duration timeout, BooleanSupplier stillAlive, Consumer<Duration> progress,
                        Supplier<String> failureMessage) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Instant nextReport = start.plusSeconds(5);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!stillAlive.getAsBoolean()) {
                throw new IllegalStateException(failureMessage.get() + " (the process exited)");
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + url, e);
            }
            sleep(Duration.ofMillis(250));
            if (Instant.now().isAfter(nextReport)) {
                progress.accept(Duration.between(start, Instant.now()));
                nextReport = nextReport.plusSeconds(5);
            }
        }
        throw new IllegalStateException(failureMessage.get() + " (no 200 from " + url + " within " + timeout.toSeconds() + " s)");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
