package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Provisioning faults, issue 8: every broken spec of {@code src/test/resources/invalid-corpus/} makes {@code apply --yes}
 * exit 2 with a compiler-style message naming the file, the line and the field, and sends nothing at all to the IdP.
 * The "IdP" is a loopback stub that counts every request it gets, so "zero admin writes" is checked as "zero requests"
 * (stronger, and needs no Keycloak). Each file states what it expects in its first line:
 * {@code # expect: LINE FIELD MESSAGE} ({@code -} for no field).
 */
class InvalidSpecCorpusTest {

    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+) (\\S+) (.+)");
    private static final AtomicInteger REQUESTS_AT_IDP = new AtomicInteger();
    private static HttpServer idp;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRecordingIdp() throws IOException {
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        idp.createContext("/", exchange -> {
            REQUESTS_AT_IDP.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        idp.start();
    }

    @AfterAll
    static void stopRecordingIdp() {
        idp.stop(0);
    }

    static Stream<String> corpus() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static Path corpusDir() throws URISyntaxException {
        return Path.of(InvalidSpecCorpusTest.class.getResource("/invalid-corpus").toURI());
    }

    @Test
    void theCorpusHasAtLeastTwentyBrokenSpecs() throws Exception {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void whenSpecIsBrokenThenApplyExitsTwoNamesFileLineAndFieldAndSendsNothing(String file) throws Exception {
        String text = Files.readString(corpusDir().resolve(file));
        Matcher expect = EXPECT.matcher(text.lines().findFirst().orElse(""));
        assertThat(expect.matches()).as("%s starts with '# expect: LINE FIELD MESSAGE'", file).isTrue();
        Path copy = Files.writeString(dir.resolve(file), text.replace("REALM", "corpus-realm"));
        int before = REQUESTS_AT_IDP.get();
        Map<String, String> env = Map.of("KEYCLOAK_URL", "http://127.0.0.1:" + idp.getAddress().getPort(),
                "KEYCLOAK_ADMIN_USER", "admin", "KEYCLOAK_ADMIN_PASSWORD", "corpus-admin-password");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = ProvisioningCli.execute(new String[] {"apply", copy.toString(), "--yes"}, env, Prompt.none(),
                new PrintWriter(out), new PrintWriter(err));

        String field = expect.group(2);
        String located = file + ":" + expect.group(1) + ":";
        List<String> lines = err.toString().lines().filter(l -> l.startsWith(located)).toList();
        assertThat(code).as("exit code; stderr:%n%s", err).isEqualTo(2);
        assertThat(lines).as("an error at %s naming %s; stderr:%n%s", located, field, err)
                .anyMatch(l -> (field.equals("-") || l.contains(" " + field + ": ")) && l.contains(expect.group(3)));
        assertThat(err.toString()).contains("nothing was sent to the IdP");
        assertThat(REQUESTS_AT_IDP.get() - before).as("requests at the IdP").isZero();
    }
}
