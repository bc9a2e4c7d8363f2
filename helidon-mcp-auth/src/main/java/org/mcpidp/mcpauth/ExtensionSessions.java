package org.mcpidp.mcpauth;

import io.helidon.common.LruCache;
import io.helidon.extensions.mcp.server.McpServerFeature;
import java.lang.reflect.Field;
import java.util.Objects;

/**
 * The session store inside one Helidon MCP {@link McpServerFeature}, so that closing a session here really removes it
 * there.
 *
 * <p>Why reflection: Helidon MCP 1.2.0 keeps sessions in a package-private {@code McpSessions} (an LRU cache of
 * {@code max-session-count} entries plus a list of every id ever created) held in the private field
 * {@code McpServerFeature.sessions}. Its LRU eviction never prunes that list (it grows by one id per
 * {@code initialize}, and each add copies the whole list), and sessions never expire. The only public way out is
 * {@code DELETE <mcp path>}, which needs a client request. {@code McpSessions.remove(id)} is what that DELETE path
 * calls ({@code McpSession.onDisconnect}) and it removes the id from both the LRU and the list; it is public because
 * {@code McpSessions} implements {@link LruCache}. So the field is read once, at startup, and from then on only the
 * public {@link LruCache} interface is used. If a later extension version renames the field or changes its type,
 * {@link #of} fails at startup instead of leaking silently. Pinned to helidon4-extensions-mcp-server 1.2.0: recheck
 * on upgrade (and drop this class if the extension gains idle expiry and a pruned registry).
 */
final class ExtensionSessions {

    static final String FIELD = "sessions";

    private final LruCache<String, ?> sessions;

    private ExtensionSessions(LruCache<String, ?> sessions) {
        this.sessions = sessions;
    }

    /**
     * Reaches the session store of {@code feature}.
     *
     * @throws IllegalStateException when the extension does not have the expected field (another version)
     */
    @SuppressWarnings("unchecked")
    public static ExtensionSessions of(McpServerFeature feature) {
        Objects.requireNonNull(feature, "feature");
        try {
            Field field = McpServerFeature.class.getDeclaredField(FIELD);
            field.setAccessible(true);
            Object value = field.get(feature);
            if (!(value instanceof LruCache<?, ?> cache)) {
                throw new IllegalStateException("McpServerFeature." + FIELD + " is not an io.helidon.common.LruCache ("
                        + (value == null ? "null" : value.getClass().getName()) + ")");
            }
            return new ExtensionSessions((LruCache<String, ?>) cache);
        } catch (NoSuchFieldException | IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the session store of the Helidon MCP extension (written for "
                    + "helidon4-extensions-mcp-server 1.2.0: private field McpServerFeature." + FIELD + "); sessions "
                    + "could not be closed: " + e, e);
        }
    }

    /** Removes a session from the extension (its LRU and its id list), as {@code DELETE} would. */
    public void remove(String sessionId) {
        sessions.remove(sessionId);
    }

    /** Sessions the extension holds now. */
    public int size() {
        return sessions.size();
    }

    /** The extension's own cap ({@code max-session-count}). */
    public int capacity() {
        return sessions.capacity();
    }
}
