package org.mcpidp.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process that cannot outlive this JVM: it runs under a small bash watchdog that stops it (SIGTERM) when this
 * JVM's pid disappears, even after a {@code kill -9}, and when the watchdog itself gets SIGTERM or SIGINT. Output
 * (stdout and stderr) is appended to a log file. Used for Keycloak (test kit, dev stack) and the MCP server (dev
 * stack, benchmarks).
 *
 * <p>The command runs as a background job of a non-interactive shell, so it ignores SIGINT: a Ctrl-C in a terminal
 * reaches it only through the watchdog, which turns it into one orderly SIGTERM.
 */
public final class WatchedProcess implements AutoCloseable {

    /* $1 is the pid of the JVM to follow, the rest the command. */
    private static final String WATCHDOG = """
            jvm=$1; shift
            "$@" &
            child=$!
            trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT
            while kill -0 "$jvm" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
            kill -TERM $child 2>/dev/null
            wait $child
            """;

    private final String name;
    private final Process process;
    private final Path logFile;

    private WatchedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code directory} with this JVM's environment plus {@code env}, output appended to
     * {@code logFile}.
     *
     * @throws UncheckedIOException when the process cannot be started
     */
    public static WatchedProcess start(String name, List<String> command, Path directory, Map<String, String> env,
                                       Path logFile) {
        List<String> full = new ArrayList<>(List.of("bash", "-c", WATCHDOG, name + "-watchdog",
                Long.toString(ProcessHandle.current().pid())));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        try {
            return new WatchedProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The watchdog's pid; the command runs as its child. */
    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    /** The last {@code lines} lines of {@code file}, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The command itself (the watchdog's child), e.g. for its CPU time; empty once it has exited. The watchdog's
     * other children are its {@code sleep 1}s, started after the command: the first child by pid was one of those
     * whenever pids had wrapped (pid_max 32768 on a busy machine), and a server's CPU time read as zero.
     */
    public Optional<ProcessHandle> command() {
        return process.children()
                .filter(child -> !child.info().command().map(command -> command.endsWith("/sleep")).orElse(false))
                .min(Comparator.comparing((ProcessHandle child) -> child.info().startInstant().orElse(Instant.MAX))
                        .thenComparingLong(ProcessHandle::pid));
    }

    /**
     * Sends SIGTERM to the watchdog and everything below it and waits up to {@code grace} for all of them to exit;
     * what is still running then is killed. Idempotent.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : tree) {
                child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tree.forEach(ProcessHandle::destroyForcibly);
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** {@link #stop(Duration)} with 20 s of grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", log " + logFile + "]";
    }
}
