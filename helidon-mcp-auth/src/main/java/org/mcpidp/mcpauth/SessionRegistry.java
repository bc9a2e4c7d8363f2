package org.mcpidp.mcpauth;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.mcpidp.verifier.AuthInfo;

/**
 * Owns the lifetime of MCP sessions: which principal opened each one, how many there are, how long they live.
 *
 * <ul>
 *   <li>At most {@link SessionLimits#max()} sessions: opening one more closes the least recently used one.</li>
 *   <li>A session unused for {@link SessionLimits#idleTimeout()} is closed (checked on every use, and swept in the
 *       background while the server runs).</li>
 *   <li>At most {@link SessionLimits#maxPerSubject()} per principal: one more is refused (429), never taken from
 *       someone else.</li>
 *   <li>A JSON-RPC id is in flight at most once per session (the extension would cross the two answers).</li>
 * </ul>
 *
 * Closing a session calls {@code onClose} with its id: the server wires it to {@link ExtensionSessions#remove}, so the
 * MCP extension forgets it too. A session id is not a credential: every request still carries a token, and a token of
 * another principal on a bound session is refused by the filter. One lock guards the maps; every operation under it
 * is O(1) except the sweep (O(sessions closed)) and the Retry-After estimate of a refused subject (O(sessions)).
 */
final class SessionRegistry {

    private static final System.Logger LOGGER = System.getLogger(SessionRegistry.class.getName());

    /** Who opened a session: the issuer and subject of the token on the {@code initialize} request. */
    record Principal(String issuer, String subject) {
        static Principal of(AuthInfo info) {
            return new Principal(info.issuer(), info.subject());
        }
    }

    /** The answer to "may this principal open a session?". */
    sealed interface Admission {
        /** A slot is held for the new session until {@link #bind} or {@link #release}. */
        final class Reserved implements Admission {
            private final Principal principal;
            private boolean settled;

            private Reserved(Principal principal) {
                this.principal = principal;
            }
        }

        /** The principal holds {@code maxPerSubject} sessions; the oldest of them expires in {@code retryAfter}. */
        record SubjectFull(Duration retryAfter) implements Admission {
        }
    }

    private static final class Session {
        final Principal principal;
        long lastUsedNanos;
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();

        Session(Principal principal, long now) {
            this.principal = principal;
            this.lastUsedNanos = now;
        }
    }

    private final SessionLimits limits;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> onClose;
    private final Ended ended;
    // least recently used first: a session moves to the end only when its owner uses it (use), so it is both the LRU
    // victim and the first to expire; looking a session up (get) does not move it
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(64);
    private final Map<Principal, Integer> perSubject = new HashMap<>();
    private int reserved;
    private long evictedForCapacity;
    private long expiredIdle;
    private long refusedPerSubject;
    private long duplicateRequests;
    private final SessionSweeper sweeper;

    SessionRegistry(SessionLimits limits, Consumer<String> onClose) {
        this(limits, onClose, System::nanoTime);
    }

    SessionRegistry(SessionLimits limits, Consumer<String> onClose, LongSupplier nanoTime) {
        this(limits, onClose, nanoTime, (sessionId, principal, why, by) -> { });
    }

    /** Told when a session ends (under the registry's lock: must be fast): for the audit trail. */
    interface Ended {
        /**
         * @param why {@code deleted}, {@code expired} or {@code evicted}
         * @param by  the request that closed it (a DELETE); empty for an expiry or an eviction
         */
        void ended(String sessionId, Principal principal, String why, Optional<Exchange> by);
    }

    SessionRegistry(SessionLimits limits, Consumer<String> onClose, LongSupplier nanoTime, Ended ended) {
        this.ended = ended;
        this.limits = limits;
        this.idleNanos = limits.idleTimeout().toNanos();
        this.onClose = onClose;
        this.nanoTime = nanoTime;
        this.sweeper = new SessionSweeper(limits.idleTimeout(), this::sweepNow);
    }

    SessionLimits limits() {
        return limits;
    }

    /**
     * Asks for a slot for a new session of {@code principal}: refused when the principal already holds its maximum
     * (open or being opened); otherwise reserved, closing least recently used sessions of anyone if the server is full.
     */
    synchronized Admission admit(Principal principal) {
        long now = nanoTime.getAsLong();
        sweep(now);
        int held = perSubject.getOrDefault(principal, 0);
        if (held >= limits.maxPerSubject()) {
            refusedPerSubject++;
            return new Admission.SubjectFull(untilOldestExpires(principal, now));
        }
        perSubject.merge(principal, 1, Integer::sum);
        reserved++;
        Iterator<Map.Entry<String, Session>> eldest = sessions.entrySet().iterator();
        while (sessions.size() + reserved > limits.max() && eldest.hasNext()) {
            Map.Entry<String, Session> victim = eldest.next();
            eldest.remove();
            forget(victim.getKey(), victim.getValue(), "evicted", Optional.empty());
            evictedForCapacity++;
        }
        return new Admission.Reserved(principal);
    }

    /** The extension created session {@code sessionId} for a reservation: it is now open and bound. */
    synchronized void bind(Admission.Reserved reservation, String sessionId) {
        if (reservation.settled) {
            return;
        }
        reservation.settled = true;
        reserved--;
        if (sessions.containsKey(sessionId)) {
            // never rebind an existing session; the reservation's slot is given back
            decrement(reservation.principal);
            return;
        }
        sessions.put(sessionId, new Session(reservation.principal, nanoTime.getAsLong()));
    }

    /** Gives the slot back if no session was bound to it (the {@code initialize} failed). Idempotent. */
    synchronized void release(Admission.Reserved reservation) {
        if (!reservation.settled) {
            reservation.settled = true;
            reserved--;
            decrement(reservation.principal);
        }
    }

    /** What a request naming a session finds: its own session, someone else's, or none. */
    enum Use { OWNED, OTHER_PRINCIPAL, UNKNOWN }

    /**
     * Whether {@code caller} may use session {@code sessionId}: only its owner's use keeps a session alive and
     * recently used; another principal's request leaves it exactly as it was (it must not extend a session it cannot
     * use). A session idle too long is closed now and unknown.
     */
    synchronized Use use(String sessionId, Principal caller) {
        long now = nanoTime.getAsLong();
        sweep(now);
        Session session = sessions.get(sessionId);
        if (session == null) {
            return Use.UNKNOWN;
        }
        if (!session.principal.equals(caller)) {
            return Use.OTHER_PRINCIPAL;
        }
        session.lastUsedNanos = now;
        sessions.putLast(sessionId, session);
        return Use.OWNED;
    }

    /**
     * Marks JSON-RPC request {@code rpcId} in flight in the session; false when that id is already in flight there
     * (the caller must refuse the request) or the session is not open.
     */
    boolean startRequest(String sessionId, String rpcId) {
        Session session;
        synchronized (this) {
            session = sessions.get(sessionId);
        }
        if (session == null) {
            return true; // nothing to cross with: the extension answers 404 itself
        }
        if (session.inFlight.add(rpcId)) {
            return true;
        }
        synchronized (this) {
            duplicateRequests++;
        }
        return false;
    }

    void endRequest(String sessionId, String rpcId) {
        Session session;
        synchronized (this) {
            session = sessions.get(sessionId);
        }
        if (session != null) {
            session.inFlight.remove(rpcId);
        }
    }

    /** Closes a session: the client's DELETE ({@code by}) succeeded, or the server closes it. */
    synchronized void close(String sessionId, Optional<Exchange> by) {
        Session session = sessions.remove(sessionId);
        if (session != null) {
            forget(sessionId, session, "deleted", by);
        }
    }

    synchronized int size() {
        return sessions.size();
    }

    synchronized SessionStats stats() {
        return new SessionStats(sessions.size(), evictedForCapacity, expiredIdle, refusedPerSubject,
                duplicateRequests);
    }

    /** Starts the background sweep of idle sessions (idempotent); {@link #stop} ends it. */
    void start() {
        sweeper.start();
    }

    void stop() {
        sweeper.stop();
    }

    private synchronized void sweepNow() {
        try {
            sweep(nanoTime.getAsLong());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "session sweep failed", e);
        }
    }

    private void sweep(long now) {
        Iterator<Map.Entry<String, Session>> eldest = sessions.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Session> entry = eldest.next();
            if (now - entry.getValue().lastUsedNanos < idleNanos) {
                return; // access order: everything after it was used more recently
            }
            eldest.remove();
            forget(entry.getKey(), entry.getValue(), "expired", Optional.empty());
            expiredIdle++;
        }
    }

    private Duration untilOldestExpires(Principal principal, long now) {
        for (Session session : sessions.values()) { // eldest first; values() does not change access order
            if (session.principal.equals(principal)) {
                long left = idleNanos - (now - session.lastUsedNanos);
                return Duration.ofNanos(Math.max(left, 0));
            }
        }
        return limits.idleTimeout(); // only reservations in progress: a guess, they are short-lived
    }

    private void forget(String sessionId, Session session, String why, Optional<Exchange> by) {
        decrement(session.principal);
        try {
            ended.ended(sessionId, session.principal, why, by);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "session end listener failed: " + e.getClass().getName());
        }
        try {
            onClose.accept(sessionId);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "closing session in the MCP extension failed", e);
        }
    }

    private void decrement(Principal principal) {
        perSubject.computeIfPresent(principal, (key, count) -> count <= 1 ? null : count - 1);
    }
}
