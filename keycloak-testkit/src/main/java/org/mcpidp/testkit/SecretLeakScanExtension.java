package org.mcpidp.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Secrets, issue 8: no access token, client secret or password used in a run appears in its outputs. A module
 * registers it for every test class (ServiceLoader: {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * naming it, and {@code junit.jupiter.extensions.autodetection.enabled=true} in junit-platform.properties), so the
 * check does not depend on which class runs last: for each top-level class it captures stdout, stderr and
 * java.util.logging while the class runs, and after it searches that text, the {@code target/*.txt}/{@code *.log}
 * files the class wrote and the part of the shared Keycloak's log written meanwhile for every value
 * {@link SecretValues} holds (this class's and all earlier ones'). A hit fails the class, naming the place and a hash
 * prefix of the value. Surefire's reports are built from the same streams, so they are covered. Each class's counts
 * are appended to {@code target/secrets-scan.txt}.
 */
public final class SecretLeakScanExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SecretLeakScanExtension.class);
    static final Path TARGET = Path.of("target");
    static final Path SUMMARY = TARGET.resolve("secrets-scan.txt");

    /** What a class's scan starts from. */
    private record Start(OutputCapture capture, FileTime time, Optional<Path> keycloakLog, long keycloakLogOffset) {
    }

    public SecretLeakScanExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!topLevel(context)) {
            return;
        }
        Optional<Path> log = KeycloakServer.sharedIfStarted().flatMap(KeycloakServer::logFile);
        long offset = log.map(SecretScanner::size).orElse(0L);
        context.getStore(NAMESPACE).put(Start.class,
                new Start(OutputCapture.start(), FileTime.from(Instant.now()), log, offset));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        Start start = topLevel(context) ? context.getStore(NAMESPACE).remove(Start.class, Start.class) : null;
        if (start == null) {
            return;
        }
        start.capture().close();
        Map<String, String> places = new LinkedHashMap<>();
        places.put("stdout/stderr/logging of " + context.getRequiredTestClass().getSimpleName(), start.capture().text());
        // a Keycloak this class started logs from its first line; one already running from where it was
        Optional<Path> log = start.keycloakLog().or(() -> KeycloakServer.sharedIfStarted().flatMap(KeycloakServer::logFile));
        List<Path> files = writtenSince(start.time(), log);
        for (Path file : files) {
            places.put(file.toString(), Files.readString(file));
        }
        if (log.isPresent() && Files.isRegularFile(log.get())) {
            places.put(log.get() + " (from byte " + start.keycloakLogOffset() + ")",
                    SecretScanner.readFrom(log.get(), start.keycloakLogOffset()));
        }
        Set<String> secrets = SecretValues.all();
        List<String> leaks = SecretScanner.leaks(places, secrets);
        String line = String.format("%s: %d secret values searched in %d places (%,d chars), %d leaks%n",
                context.getRequiredTestClass().getName(), secrets.size(), places.size(),
                places.values().stream().mapToLong(String::length).sum(), leaks.size());
        Files.createDirectories(TARGET);
        Files.writeString(SUMMARY, line + (leaks.isEmpty() ? "" : String.join("\n", leaks) + "\n"),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!leaks.isEmpty()) {
            throw new AssertionError("secrets leaked (value shown as a hash prefix):\n" + String.join("\n", leaks));
        }
    }

    private static boolean topLevel(ExtensionContext context) {
        return context.getParent().flatMap(ExtensionContext::getParent).isEmpty();
    }

    private static List<Path> writtenSince(FileTime since, Optional<Path> exclude) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(TARGET)) {
            return files;
        }
        try (Stream<Path> all = Files.list(TARGET)) {
            for (Path file : (Iterable<Path>) all::iterator) {
                String name = file.getFileName().toString();
                if ((name.endsWith(".txt") || name.endsWith(".log")) && !file.equals(SUMMARY)
                        && Files.isRegularFile(file) && exclude.map(p -> !sameFile(p, file)).orElse(true)
                        && Files.getLastModifiedTime(file).compareTo(since) >= 0) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
