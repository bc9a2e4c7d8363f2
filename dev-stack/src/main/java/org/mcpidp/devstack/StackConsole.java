package org.mcpidp.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the dev stack tells the user on the console: the numbered steps, the waits, and the ready banner with the
 * commands to try; paths are shown as typed from the repository root.
 */
final class StackConsole {

    private final PrintStream out;
    private final Path root;

    StackConsole(PrintStream out, Path root) {
        this.out = out;
        this.root = root;
    }

    PrintStream out() {
        return out;
    }

    void step(int number, String text) {
        out.println("[" + number + "/5] " + text);
        out.flush();
    }

    /** "ready in 12.3 s" under the step that started at {@code startNanos}. */
    void readyIn(long startNanos) {
        out.println("      ready in " + seconds(System.nanoTime() - startNanos));
    }

    Consumer<Duration> waiting(String what) {
        return waited -> {
            out.println("      waiting for " + what + "... " + waited.toSeconds() + " s");
            out.flush();
        };
    }

    void printReady(long started, String mcpUrl, String kcUrl, String ordersUrl, Path stackEnv) {
        String env = shown(stackEnv);
        out.println();
        out.println("Dev stack ready in " + seconds(System.nanoTime() - started) + ".");
        out.println("  MCP server: " + mcpUrl);
        out.println("  Keycloak:   " + kcUrl + " (admin console " + kcUrl + "/admin, credentials in " + env + ")");
        out.println("  Orders API: " + ordersUrl + "/orders (called by the list_orders tool with an exchanged token)");
        out.println();
        out.println("Get a token for agent-reader and call whoami (from " + root + "):");
        out.println();
        out.println("  set -a; . " + env + "; set +a");
        out.println("  export TOKEN=$(curl -s -u \"$AGENT_READER_ID:$AGENT_READER_SECRET\" -d grant_type=client_credentials"
                + " -d scope=mcp:read \"$ISSUER/protocol/openid-connect/token\" | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
        out.println("  examples/call-tool.sh whoami");
        out.println();
        out.println("Press Ctrl-C to stop Keycloak, the orders API and the MCP server.");
        out.flush();
    }

    /** A path as the user would type it from the repository root. */
    String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
