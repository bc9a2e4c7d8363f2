package org.mcpidp.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README runs as written: every shell block in README.md is run verbatim by a test or a CI script (its marker is
 * named there), or says why it is not run here. Needs no Keycloak: it checks the markers, the runs themselves happen
 * in {@link DevStackLauncherTest}, {@code examples/starter/ci.sh} and {@code .ci/run}.
 */
class ReadmeBlocksTest {

    private static final Path ROOT = Path.of(System.getProperty("devstack.root", "..")).toAbsolutePath().normalize();

    /** The files that run README blocks, each finding its blocks by marker. */
    private static final String[] RUNNERS = {
            "dev-stack/src/test/java/org/mcpidp/devstack/DevStackLauncherTest.java",
            "examples/starter/ci.sh",
            ".ci/run"};

    @Test
    void whenReadingTheReadmeThenEveryShellBlockIsRunByATestOrSaysWhyNot() throws IOException {
        Map<String, String> runners = new LinkedHashMap<>();
        for (String runner : RUNNERS) {
            runners.put(runner, Files.readString(ROOT.resolve(runner)));
        }
        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(Files.readString(ROOT.resolve("README.md")), runners);

        result.blocks().forEach(block -> System.out.println("README.md:" + block.line() + " <!-- " + block.marker()
                + " --> " + block.checkedBy()));
        assertThat(result.problems()).isEmpty();
        assertThat(result.blocks()).extracting(ReadmeBlockCheck.Block::marker)
                .contains("quick-start", "sdk-example", "observe-example", "provisioning-example", "test-command",
                        "starter-install", "starter-provision", "starter-build", "starter-run", "starter-call");
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
    void whenAMarkerIsUsedTwiceThenItIsReported() {
        String readme = "<!-- a -->\n```bash\ncurl x\n```\n<!-- a -->\n```bash\ncurl y\n```\n";

        ReadmeBlockCheck.Result result = ReadmeBlockCheck.check(readme, Map.of("ci.sh", "run_block a"));

        assertThat(result.problems()).containsExactly("README.md:6: marker <!-- a --> is used twice");
    }
}
