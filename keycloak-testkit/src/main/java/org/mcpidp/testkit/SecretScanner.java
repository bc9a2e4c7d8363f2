package org.mcpidp.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Searches texts for secret values. A hit names the place and a SHA-256 prefix of the value, never the value, so that
 * the report of a leak does not leak it again.
 */
public final class SecretScanner {

    private SecretScanner() {
    }

    /** One line per (place, secret) hit; empty when clean. */
    public static List<String> leaks(Map<String, String> places, Set<String> secrets) {
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> place : places.entrySet()) {
            for (String secret : secrets) {
                if (place.getValue().contains(secret)) {
                    leaks.add(place.getKey() + ": secret sha256:" + sha256Prefix(secret) + " (" + secret.length()
                            + " chars)");
                }
            }
        }
        return leaks;
    }

    /** The part of {@code file} from byte {@code from} on (a log another process appends to), as UTF-8. */
    public static String readFrom(Path file, long from) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.min(from, raf.length());
            byte[] bytes = new byte[Math.toIntExact(raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    public static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String sha256Prefix(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
