package org.mcpidp.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code NAME='value'} files, the format both shells ({@code set -a; . file}) and docker compose env files read
 * literally: the secrets file the provisioner writes, and what a launcher (the dev stack) writes beside it. Written
 * 0600 from the first byte and moved into place, so no reader ever sees a secret in a file with wider permissions,
 * nor a half-written file.
 */
public final class EnvFile {

    private EnvFile() {
    }

    /** The entries of {@code file} in file order; none when it does not exist. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                entries.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1)));
            }
        }
        return entries;
    }

    /** Replaces {@code file} with {@code entries} under {@code comment} (each of its lines a {@code #} line). */
    public static void write(Path file, String comment, Map<String, String> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        comment.lines().forEach(line -> text.append("# ").append(line).append('\n'));
        entries.forEach((name, value) ->
                text.append(name).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1).replace("'\\''", "'") : value;
    }
}
