package org.mcpidp.mcpserver.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * Which principal opened each MCP session. A session id is not a credential: every request still carries a token,
 * and a token of another principal on a bound session is refused. Bounded (the MCP extension keeps at most
 * {@code max-session-count} sessions too) and idle entries expire.
 */
final class SessionBindings {

    /** Who opened a session: the issuer and subject of the token on the {@code initialize} request. */
    record Principal(String issuer, String subject) {
        static Principal of(AuthInfo info) {
            return new Principal(info.issuer(), info.subject());
        }
    }

    private final Cache<String, Principal> bindings;

    SessionBindings(long maximumSize, Duration idleTimeout) {
        this.bindings = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterAccess(idleTimeout)
                .build();
    }

    /** Binds a new session; a session id seen before keeps its first principal. */
    void bind(String sessionId, Principal principal) {
        bindings.asMap().putIfAbsent(sessionId, principal);
    }

    Optional<Principal> principal(String sessionId) {
        return Optional.ofNullable(bindings.getIfPresent(sessionId));
    }

    void unbind(String sessionId) {
        bindings.invalidate(sessionId);
    }

    long size() {
        return bindings.estimatedSize();
    }
}
