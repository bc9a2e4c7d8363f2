package org.mcpidp.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @TempDir
    Path dir;

    @Test
    void whenValuesHoldQuotesAndSpacesThenTheyReadBackAsWrittenFromAFileOnlyItsOwnerReads() throws Exception {
        Path file = dir.resolve("nested/secrets.env");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("AGENT_SECRET", "it's a $ecret with spaces");
        entries.put("EMPTY", "");

        EnvFile.write(file, "line one\nline two", entries);

        assertThat(EnvFile.read(file)).containsExactlyEntriesOf(entries);
        assertThat(Files.readString(file)).startsWith("# line one\n# line two\n")
                .contains("AGENT_SECRET='it'\\''s a $ecret with spaces'");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void whenTheFileDoesNotExistThenItHasNoEntries() throws Exception {
        assertThat(EnvFile.read(dir.resolve("missing.env"))).isEmpty();
    }
}
