package org.mcpidp.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation runs as written: every shell block in README.md, docs/*.md and the modules' READMEs is run
 * verbatim by a test or a CI script (its marker is named there), or says why it is not run here; a marker names one
 * block across all of them; and every relative link resolves. Needs no Keycloak: it checks the markers and links, the
 * runs themselves happen in {@link DevStackLauncherTest}, {@code examples/starter/ci.sh} and {@code .ci/run}.
 */
class ReadmeBlocksTest {

    private static final Path ROOT = Path.of(System.getProperty("devstack.root", "..")).toAbsolutePath().normalize();

    /** The files that run documented blocks, each finding its blocks by marker. */
    private static final String[] RUNNERS = {
            "dev-stack/src/test/java/org/mcpidp/devstack/DevStackLauncherTest.java",
            "examples/starter/ci.sh",
            ".ci/run"};

    /** README.md, docs/*.md and each module's README.md, relative to the repository root. */
    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().map(ROOT::relativize).forEach(documents::add);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.filter(Files::isDirectory).map(module -> module.resolve("README.md")).filter(Files::isRegularFile)
                    .sorted().map(ROOT::relativize).forEach(documents::add);
        }
        return documents;
    }

    private static String read(Path root, Path file) {
        try {
            return Files.readString(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whenReadingTheDocsThenEveryShellBlockIsRunByATestOrSaysWhyNot() throws IOException {
        Map<String, String> runners = new LinkedHashMap<>();
        for (String runner : RUNNERS) {
            runners.put(runner, Files.readString(ROOT.resolve(runner)));
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (Path document : documents()) {
            documents.put(document.toString(), read(ROOT, document));
        }
        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(documents, runners);

        result.blocks().forEach(block -> System.out.println(block.file() + ":" + block.line() + " <!-- "
                + block.marker() + " --> " + block.checkedBy()));
        assertThat(result.problems()).isEmpty();
        assertThat(documents.keySet()).contains("README.md", "docs/README.md", "docs/configuration.md",
                "introspection-verifier/README.md", "helidon-mcp-auth/README.md", "idp-provisioning/README.md",
                "downstream-token/README.md");
        assertThat(result.blocks()).extracting(ReadmeBlockCheck.Block::marker)
                .contains("quick-start", "quick-start-modern", "sdk-example", "observe-example",
                        "provisioning-example", "test-command", "conformance-server", "starter-install",
                        "starter-provision", "starter-build", "starter-run", "starter-call");
        assertThat(result.blocks()).filteredOn(block -> block.marker().equals("test-command"))
                .extracting(ReadmeBlockCheck.Block::file).as(".ci/run reads the test command from README.md only")
                .containsExactly("README.md");
    }

    @Test
    void whenReadingTheDocsThenEveryRelativeLinkResolves() throws IOException {
        List<String> problems = DocLinkCheck.check(ROOT, documents(), file -> read(ROOT, file));

        assertThat(problems).isEmpty();
    }

    @Test
    void whenALinkNamesAMissingFileOrHeadingThenItIsReportedWithItsLine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), "# Kit\n\nSee [ops](docs/ops.md#stopping-an-instance).\n");
        Files.writeString(root.resolve("docs/ops.md"), """
                # Operating

                ```properties
                # not a heading
                ```
                ## Stopping an instance (rolling deploys)
                Back to [the kit](../README.md#kit), [gone](missing.md), [here](#not-here), [site](https://x.example/y).
                """);

        List<String> problems = DocLinkCheck.check(root, List.of(Path.of("README.md"), Path.of("docs/ops.md")),
                file -> read(root, file));

        assertThat(problems).containsExactly(
                "README.md:3: link docs/ops.md#stopping-an-instance: no heading #stopping-an-instance in docs/ops.md",
                "docs/ops.md:7: link missing.md: no such file docs/missing.md",
                "docs/ops.md:7: link #not-here: no heading #not-here in docs/ops.md");
    }

    @Test
    void whenSluggingHeadingsThenPunctuationGoesAndRepeatsAreNumbered() {
        assertThat(DocLinkCheck.slug("Run it: `./dev-stack.sh`")).isEqualTo("run-it-dev-stacksh");
        assertThat(DocLinkCheck.slug("What we found in Helidon MCP 1.2.0")).isEqualTo("what-we-found-in-helidon-mcp-120");
        assertThat(DocLinkCheck.anchors("# A\n## Soak\n### Soak\n")).containsExactlyInAnyOrder("a", "soak", "soak-1");
    }

    @Test
    void whenAShellBlockHasNoMarkerThenItIsReportedWithItsLine() {
        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check("# T\n\nSome text.\n\n```bash\n./dev-stack.sh\n```\n",
                Map.of());

        assertThat(result.problems()).singleElement().asString()
                .startsWith("README.md:5: a shell block without a marker");
    }

    @Test
    void whenAMarkerIsRunByNothingThenItIsReported() {
        String readme = "<!-- quick-start -->\n```bash\ncurl x\n```\n<!-- orphan -->\n```sh\ncurl y\n```\n";

        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(readme,
                Map.of("Runner.java", "runReadmeBlock(\"quick-start\", env)"));

        assertThat(result.blocks()).extracting(ReadmeBlockCheck.Block::marker).containsExactly("quick-start");
        assertThat(result.problems()).singleElement().asString()
                .isEqualTo("README.md:6: marker <!-- orphan --> is run by nothing (none of [Runner.java] names it)");
    }

    @Test
    void whenABlockOfCommandsHasNoLanguageThenItIsReported() {
        String readme = "Output:\n\n```\n[1/4] Keycloak ready\n```\n\n```\nexport KEYCLOAK_URL=x\nbin/idp-provisioning plan a\n```\n";

        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(readme, Map.of());

        assertThat(result.problems()).singleElement().asString()
                .startsWith("README.md:7: a block of shell commands without a language");
    }

    @Test
    void whenNotRunHereGivesNoReasonThenItIsReported() {
        String readme = "<!-- not-run-here: -->\n```bash\ndocker compose up\n```\n"
                + "<!-- not-run-here: needs Docker -->\n```bash\ndocker compose up\n```\n";

        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(readme, Map.of());

        assertThat(result.problems()).containsExactly("README.md:2: <!-- not-run-here: --> needs a reason");
        assertThat(result.blocks()).extracting(ReadmeBlockCheck.Block::checkedBy).containsExactly("needs Docker");
    }

    @Test
    void whenAMarkerIsUsedInTwoFilesThenItIsReportedWithTheSecondFileAndLine() {
        Map<String, String> documents = new LinkedHashMap<>();
        documents.put("README.md", "<!-- a -->\n```bash\ncurl x\n```\n");
        documents.put("docs/ops.md", "# Ops\n\n<!-- a -->\n```bash\ncurl y\n```\n");

        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(documents, Map.of("ci.sh", "run_block a"));

        assertThat(result.problems()).containsExactly("docs/ops.md:4: marker <!-- a --> is used twice (markers are "
                + "unique across README.md, docs/*.md and the modules' READMEs)");
    }
}
