package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A person's browser for sign-in tests: Debian's Chromium, headless, driven over the Chrome DevTools Protocol (no
 * browser download, no driver). {@link #signIn} opens an authorization URL, types the user name and password into
 * Keycloak's own login form, accepts the consent screen when Keycloak shows one, and stops the browser at the
 * client's redirect URI (intercepted before it leaves the browser: the redirect may point at a host that does not
 * exist here, such as claude.ai), returning that URL with its {@code code}. Every page it passed is recorded (titles
 * and paths, never a password) for assertions and failure messages.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration STEP = Duration.ofSeconds(45);

    /** What one sign-in went through: the pages (title and path) and the client redirect it ended at. */
    record SignIn(List<String> pages, String redirect) {
        /** A query parameter of the redirect back to the client, or empty. */
        String parameter(String name) {
            okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(redirect.replaceFirst("^[a-z]+://", "http://"));
            String value = url == null ? null : url.queryParameter(name);
            return value == null ? "" : value;
        }
    }

    private final Process process;
    private final Path profile;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private HeadlessChromium(Process process, Path profile, String devtools) {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocket(new Request.Builder().url(devtools).build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else {
                        events.add(message);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                pending.values().forEach(f -> f.completeExceptionally(t));
            }
        });
    }

    /** Starts Chromium with a fresh profile (no cookies from an earlier person) and connects to it. */
    static HeadlessChromium launch(Path chromium, Path work) throws IOException {
        Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-");
        // Root in a container has no user namespaces for Chromium's sandbox.
        Process process = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String devtools;
        try {
            devtools = url.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            devtools = null;
        }
        if (devtools == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium at " + chromium + " did not open its DevTools endpoint");
        }
        // Keep reading stderr so Chromium never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (stderr.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // Chromium went away
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return new HeadlessChromium(process, profile, devtools);
    }

    /**
     * One person signing in: a new tab at {@code authorizationUrl}, Keycloak's login form filled in as
     * {@code username}, the consent screen accepted if shown, until the browser is sent to a URL starting with
     * {@code redirectPrefix}. Fails with the page's text when Keycloak shows anything else (an error page).
     */
    SignIn signIn(String authorizationUrl, String redirectPrefix, String username, String password) {
        // Each sign-in is a different person: no Keycloak session cookie from the one before.
        call(null, "Storage.clearCookies", JSON.createObjectNode());
        String target = call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                .path("targetId").asText();
        String session = call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target)
                .put("flatten", true)).path("sessionId").asText();
        try {
            ObjectNode fetch = JSON.createObjectNode();
            fetch.putArray("patterns").addObject().put("urlPattern", redirectPrefix + "*").put("requestStage", "Request");
            call(session, "Fetch.enable", fetch);
            call(session, "Page.enable", JSON.createObjectNode());
            events.clear();
            call(session, "Page.navigate", JSON.createObjectNode().put("url", authorizationUrl));
            List<String> pages = new ArrayList<>();
            boolean loggedIn = false;
            long deadline = System.nanoTime() + STEP.toNanos() * 3;
            while (System.nanoTime() < deadline) {
                JsonNode event = events.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    break;
                }
                if (!session.equals(event.path("sessionId").asText())) {
                    continue;
                }
                String method = event.path("method").asText();
                if (method.equals("Fetch.requestPaused")) {
                    String redirect = event.path("params").path("request").path("url").asText();
                    call(session, "Fetch.failRequest", JSON.createObjectNode()
                            .put("requestId", event.path("params").path("requestId").asText()).put("errorReason", "Aborted"));
                    return new SignIn(List.copyOf(pages), redirect);
                }
                if (!method.equals("Page.loadEventFired")) {
                    continue;
                }
                JsonNode page = evaluate(session, """
                        JSON.stringify({title: document.title, path: location.pathname,
                          login: !!document.querySelector('#kc-form-login'),
                          consent: !!document.querySelector('[name=accept]'),
                          text: (document.body ? document.body.innerText : '').slice(0, 400)})""");
                pages.add(page.path("title").asText() + " " + page.path("path").asText());
                if (page.path("login").asBoolean() && !loggedIn) {
                    loggedIn = true;
                    evaluate(session, "document.querySelector('#username').value = " + JSON.writeValueAsString(username)
                            + "; document.querySelector('#password').value = " + JSON.writeValueAsString(password)
                            + "; document.querySelector('#kc-login').click(); 'submitted'");
                } else if (page.path("consent").asBoolean()) {
                    evaluate(session, "document.querySelector('[name=accept]').click(); 'accepted'");
                } else {
                    throw new AssertionError("Keycloak showed " + page.path("title").asText() + " at "
                            + page.path("path").asText() + ": " + page.path("text").asText().strip());
                }
            }
            throw new AssertionError("no redirect to " + redirectPrefix + " within the time; pages: " + pages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            call(null, "Target.closeTarget", JSON.createObjectNode().put("targetId", target));
        }
    }

    private JsonNode evaluate(String session, String expression) throws IOException {
        JsonNode result = call(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true)).path("result");
        String value = result.path("value").asText();
        return value.startsWith("{") ? JSON.readTree(value) : result;
    }

    private JsonNode call(String session, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.send(message.toString());
        try {
            JsonNode reply = answer.get(STEP.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Chromium", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close(1000, "done");
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
