package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.mcpidp.http.RetryAfter;
import org.mcpidp.provisioning.ProvisioningException;

/**
 * The only code that talks to Microsoft Graph. Every write (POST/PATCH/DELETE) is counted once however often it is
 * retried: re-applying an unchanged spec must cost zero writes, and tests assert that.
 *
 * <p>Graph is eventually consistent and throttles. 429 and 503 are retried after {@code Retry-After} (or the
 * backoff when absent); 404 and 409 are retried only within {@link RetryPolicy#freshness()} of a create made
 * through this gateway (replication delay); {@link #find} never retries a 404 because there it is the answer.
 * Anything else fails at once with Graph's error code and message. Request and response bodies never appear in
 * errors: an {@code addPassword} answer carries a secret.
 */
final class GraphGateway implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Supplier<String> token;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final boolean ownsClient;
    private final AtomicLong writes = new AtomicLong();
    private volatile Instant lastCreate = Instant.MIN;

    /** @param ownsClient whether {@link #close} shuts the client's pools down (not when the caller lent it) */
    GraphGateway(OkHttpClient http, HttpUrl base, Supplier<String> token, RetryPolicy retry, Sleeper sleeper, Clock clock,
                 boolean ownsClient) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.ownsClient = ownsClient;
    }

    long writes() {
        return writes.get();
    }

    // ---- URLs ----

    /** {@code path} relative to the Graph base, e.g. {@code applications(uniqueName='x')}; already safe for a URL. */
    HttpUrl url(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    HttpUrl url(String path, String filter) {
        return url(path).newBuilder().addQueryParameter("$filter", filter).build();
    }

    /** An OData string literal: single quotes doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ---- reads ----

    /** The object, or empty when Graph answers 404. */
    Optional<JsonNode> find(String what, HttpUrl url) {
        return Optional.ofNullable(call(what, "GET", url, null, false, false).body);
    }

    /** The object, which must exist (404 is retried while recent creates may not have replicated). */
    JsonNode get(String what, HttpUrl url) {
        return call(what, "GET", url, null, true, false).body;
    }

    /** Every item of a collection, following {@code @odata.nextLink}. */
    List<JsonNode> list(String what, HttpUrl url) {
        List<JsonNode> items = new ArrayList<>();
        HttpUrl next = url;
        while (next != null) {
            JsonNode page = call(what, "GET", next, null, true, false).body;
            page.path("value").forEach(items::add);
            String link = page.path("@odata.nextLink").asText("");
            next = link.isEmpty() ? null : HttpUrl.get(link);
        }
        return items;
    }

    // ---- writes ----

    /**
     * {@code PATCH} with {@code Prefer: create-if-missing} on an alternate key: creates the object (201, returned) or
     * updates it (204, empty).
     */
    Optional<JsonNode> upsert(String what, HttpUrl url, JsonNode body) {
        writes.incrementAndGet();
        Answer answer = call(what, "PATCH", url, body, true, true);
        if (answer.status == 201) {
            lastCreate = clock.instant();
        }
        return Optional.ofNullable(answer.body);
    }

    void patch(String what, HttpUrl url, JsonNode body) {
        writes.incrementAndGet();
        call(what, "PATCH", url, body, true, false);
    }

    /** A POST that creates something; the answer's body (for {@code addPassword}: contains the secret). */
    JsonNode post(String what, HttpUrl url, JsonNode body) {
        writes.incrementAndGet();
        JsonNode created = call(what, "POST", url, body, true, false).body;
        lastCreate = clock.instant();
        return created;
    }

    void delete(String what, HttpUrl url) {
        writes.incrementAndGet();
        call(what, "DELETE", url, null, true, false);
    }

    @Override
    public void close() {
        if (ownsClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    // ---- plumbing ----

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String what, String method, HttpUrl url, JsonNode body, boolean mustExist, boolean createIfMissing) {
        ProvisioningException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Request.Builder request = new Request.Builder().url(url)
                    .header("Authorization", "Bearer " + token.get())
                    .header("Accept", "application/json")
                    .method(method, body == null ? (method.equals("GET") || method.equals("DELETE") ? null
                            : RequestBody.create(new byte[0], APPLICATION_JSON)) : RequestBody.create(write(body), APPLICATION_JSON));
            if (createIfMissing) {
                request.header("Prefer", "create-if-missing");
            }
            Duration wait;
            try (Response response = http.newCall(request.build()).execute()) {
                int status = response.code();
                if (response.isSuccessful()) {
                    return new Answer(status, read(response.body()));
                }
                GraphError error = GraphError.of(status, response.body());
                if (status == 404 && !mustExist) {
                    return new Answer(status, null);
                }
                last = new ProvisioningException(what + ": Graph answered " + error);
                boolean throttled = status == 429 || status == 503;
                boolean replicating = (status == 404 || status == 409) && fresh();
                if (!throttled && !replicating) {
                    throw last;
                }
                int tried = attempt;
                wait = RetryAfter.parse(response.header("Retry-After"), clock.instant()).map(retry::capped)
                        .orElseGet(() -> retry.backoff(tried, ThreadLocalRandom.current().nextDouble()));
            } catch (IOException e) {
                // A lost answer to a POST may mean it was executed: do not repeat it (a second password, a duplicate).
                if (method.equals("POST")) {
                    throw new ProvisioningException(what + ": " + e.getMessage(), e);
                }
                last = new ProvisioningException(what + ": " + e.getMessage(), e);
                wait = retry.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            }
            if (attempt < retry.maxAttempts()) {
                pause(wait);
            }
        }
        throw new ProvisioningException(last.getMessage() + " (gave up after " + retry.maxAttempts() + " attempts)", last);
    }

    private boolean fresh() {
        Instant created = lastCreate;
        return created != Instant.MIN && Duration.between(created, clock.instant()).compareTo(retry.freshness()) <= 0;
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while waiting to retry a Graph call", e);
        }
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(ResponseBody body) throws IOException {
        String text = body.string();
        return text.isBlank() ? null : JSON.readTree(text);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Graph's error body {@code {"error":{"code":"...","message":"...","innerError":{"request-id":"..."}}}}. */
    record GraphError(int status, String code, String message, String requestId) {

        static GraphError of(int status, ResponseBody body) {
            try {
                JsonNode error = JSON.readTree(body.string()).path("error");
                return new GraphError(status, error.path("code").asText(""), error.path("message").asText(""),
                        error.path("innerError").path("request-id").asText(""));
            } catch (IOException | RuntimeException notJson) {
                return new GraphError(status, "", "", "");
            }
        }

        @Override
        public String toString() {
            return "HTTP " + status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message)
                    + (requestId.isEmpty() ? "" : " (request-id " + requestId + ")");
        }
    }
}
