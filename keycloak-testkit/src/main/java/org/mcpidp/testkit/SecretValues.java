package org.mcpidp.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values (tokens, client secrets, passwords) the tests of this JVM used, kept in memory only, so that
 * {@link SecretLeakScanExtension} (and helidon-mcp-server's SecretLeakTest) can search the run's outputs for them.
 * Never written anywhere.
 */
public final class SecretValues {

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private SecretValues() {
    }

    /** Records a value; short or empty ones are ignored (they would match by accident). */
    public static void record(String value) {
        if (value != null && value.length() >= 12) {
            VALUES.add(value);
        }
    }

    public static Set<String> all() {
        return Set.copyOf(VALUES);
    }
}
