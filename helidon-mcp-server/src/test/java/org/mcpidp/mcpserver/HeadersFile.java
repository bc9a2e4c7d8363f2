package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Collects the exact status lines and challenges tests saw in target/auth-headers.txt (never a token). */
final class HeadersFile {

    private static final Path FILE = Path.of("target", "auth-headers.txt");

    private static boolean started;

    private HeadersFile() {
    }

    static synchronized void append(String what, McpHttp.Reply reply) {
        try {
            Files.createDirectories(FILE.getParent());
            StringBuilder text = new StringBuilder("# ").append(what).append('\n')
                    .append("HTTP ").append(reply.status()).append('\n');
            for (String name : new String[] {"WWW-Authenticate", "Retry-After"}) {
                if (reply.header(name) != null) {
                    text.append(name).append(": ").append(reply.header(name)).append('\n');
                }
            }
            text.append("body: ").append(reply.body()).append("\n\n");
            // a fresh file per test run (JVM), appended to by every test class
            Files.writeString(FILE, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    started ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
