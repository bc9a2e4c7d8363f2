package org.mcpidp.mcpserver.security;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values (tokens, client secrets, passwords) the security tests of this JVM used, kept in memory only, so
 * that {@link SecretLeakTest} and {@link SecretLeakScanExtension} can search the run's outputs for them. Never written anywhere.
 */
final class SecretValues {

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private SecretValues() {
    }

    /** Records a value; short or empty ones are ignored (they would match by accident). */
    static void record(String value) {
        if (value != null && value.length() >= 12) {
            VALUES.add(value);
        }
    }

    static Set<String> all() {
        return Set.copyOf(VALUES);
    }
}
