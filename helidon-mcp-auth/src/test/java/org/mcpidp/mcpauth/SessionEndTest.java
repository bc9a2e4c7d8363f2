package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The session registry tells each session's end, with why: the audit trail's session_end events. */
class SessionEndTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> ended = new CopyOnWriteArrayList<>();

    private SessionRegistry registry(int max) {
        return new SessionRegistry(new SessionLimits(max, Duration.ofMinutes(1), 1), id -> { }, now::get,
                (id, principal, why, by) -> ended.add(id + " " + principal.subject() + " " + why));
    }

    private static void open(SessionRegistry registry, String subject, String id) {
        SessionRegistry.Admission admission = registry.admit(new SessionRegistry.Principal("https://idp", subject));
        registry.bind((SessionRegistry.Admission.Reserved) admission, id);
    }

    @Test
    void whenASessionIsDeletedExpiresOrIsEvictedThenItsEndIsToldWithWhy() {
        SessionRegistry registry = registry(2);
        open(registry, "alice", "s-1");
        open(registry, "bob", "s-2");
        registry.close("s-1", java.util.Optional.empty());
        assertThat(ended).containsExactly("s-1 alice deleted");

        open(registry, "carol", "s-3");
        open(registry, "dave", "s-4"); // the server holds 2 at most: bob's, the least recently used, goes
        assertThat(ended).containsExactly("s-1 alice deleted", "s-2 bob evicted");

        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(registry.use("s-3", new SessionRegistry.Principal("https://idp", "carol")))
                .isEqualTo(SessionRegistry.Use.UNKNOWN);
        assertThat(ended).containsExactly("s-1 alice deleted", "s-2 bob evicted", "s-3 carol expired",
                "s-4 dave expired");
    }

    @Test
    void whenAnotherPrincipalNamesASessionThenItIsNeitherUsableNorKeptAlive() {
        SessionRegistry registry = registry(10);
        SessionRegistry.Principal alice = new SessionRegistry.Principal("https://idp", "alice");
        SessionRegistry.Principal mallory = new SessionRegistry.Principal("https://idp", "mallory");
        open(registry, "alice", "s-1");

        now.addAndGet(Duration.ofSeconds(50).toNanos());
        assertThat(registry.use("s-1", mallory)).isEqualTo(SessionRegistry.Use.OTHER_PRINCIPAL);
        now.addAndGet(Duration.ofSeconds(20).toNanos()); // 70 s after alice's last use: idle longer than the minute allowed

        assertThat(registry.use("s-1", alice)).isEqualTo(SessionRegistry.Use.UNKNOWN);
        assertThat(ended).containsExactly("s-1 alice expired");
    }

    @Test
    void whenTheOwnerUsesASessionThenItStaysOpen() {
        SessionRegistry registry = registry(10);
        SessionRegistry.Principal alice = new SessionRegistry.Principal("https://idp", "alice");
        open(registry, "alice", "s-1");

        now.addAndGet(Duration.ofSeconds(50).toNanos());
        assertThat(registry.use("s-1", alice)).isEqualTo(SessionRegistry.Use.OWNED);
        now.addAndGet(Duration.ofSeconds(50).toNanos());

        assertThat(registry.use("s-1", alice)).isEqualTo(SessionRegistry.Use.OWNED);
        assertThat(ended).isEmpty();
    }

    @Test
    void whenTheEndListenerThrowsThenTheSessionIsClosedAnyway() {
        SessionRegistry registry = new SessionRegistry(new SessionLimits(10, Duration.ofMinutes(1), 10), id -> { },
                now::get, (id, principal, why, by) -> {
                    throw new IllegalStateException("listener bug");
                });
        open(registry, "alice", "s-1");
        registry.close("s-1", java.util.Optional.empty());
        assertThat(registry.size()).isZero();
    }
}
