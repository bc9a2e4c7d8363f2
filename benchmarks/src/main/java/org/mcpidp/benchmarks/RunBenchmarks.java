package org.mcpidp.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs every benchmark against one real Keycloak and prints {@code RESULT name=value} lines at the end. Targets are
 * ratios of measurements taken in this run (absolute numbers on a 2-core machine are noisy). {@code --quick} is for
 * CI (the benchmarks must not rot), the default full mode for measurements.
 */
public final class RunBenchmarks {

    private static final List<String> SECTIONS = List.of("jmh", "stampede", "offload", "e2e", "downstream",
            "cluster", "peer", "provisioning");

    private final boolean quick;
    private final List<String> sections;
    private final Map<String, String> results = new LinkedHashMap<>();

    private RunBenchmarks(boolean quick, List<String> sections) {
        this.quick = quick;
        this.sections = sections;
    }

    /** The command line: {@code [--quick] [--only=jmh,stampede,offload,e2e,downstream,cluster,peer,provisioning]}. */
    @Command(name = "run.sh",
            description = "Runs every benchmark against one real Keycloak and prints RESULT lines at the end.")
    static final class Options implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Option(names = "--quick", description = "quick mode (CI: proves the benchmarks still run)")
        boolean quick;

        @Option(names = "--only", split = ",", paramLabel = "SECTION",
                description = "only these sections: jmh, stampede, offload, e2e, downstream, cluster, peer, "
                        + "provisioning")
        List<String> only = SECTIONS;

        @Override
        public Integer call() throws Exception {
            if (!SECTIONS.containsAll(only)) {
                throw new ParameterException(spec.commandLine(),
                        "unknown section in --only=" + String.join(",", only) + "; choose from " + SECTIONS);
            }
            new RunBenchmarks(quick, List.copyOf(only)).run();
            return 0;
        }
    }

    public static void main(String[] args) {
        // exit code 2 on bad arguments (picocli's usage code), as before; System.exit also ends JMH's helper threads
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private void run() throws Exception {
        BenchmarkEnvironment env = BenchmarkEnvironment.create();
        System.out.println("Keycloak " + env.realm().issuer() + (quick ? " (quick mode)" : " (full mode)"));
        if (sections.contains("jmh")) {
            results.putAll(new JmhSection(quick).run(env));
        }
        if (sections.contains("stampede")) {
            results.putAll(new VerifierLoadSection(quick).stampede(env));
        }
        if (sections.contains("offload")) {
            results.putAll(new VerifierLoadSection(quick).offload(env));
        }
        if (sections.contains("e2e")) {
            results.putAll(new EndToEndSection(quick).run(env));
        }
        if (sections.contains("downstream")) {
            results.putAll(DownstreamBenchmark.run(env, quick));
        }
        if (sections.contains("cluster")) {
            // three instances behind HAProxy, both protocol eras (ClusterRun); fails on a broken invariant
            results.putAll(new ClusterRun(quick, Path.of(System.getProperty("bench.serverJar",
                    "helidon-mcp-server/target/helidon-mcp-server.jar"))).run(env.realm(), env.serverSecret()));
        }
        if (sections.contains("peer")) {
            // the kit in JWT mode against MCP Auth for Node + the MCP TypeScript SDK, the same load (PeerSection)
            results.putAll(new PeerSection(quick).run(env));
        }
        if (sections.contains("provisioning")) {
            provisioning();
        }
        env.realm().close();
        System.out.println();
        results.forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }

    private void provisioning() throws Exception {
        ProvisioningRun.Result result = ProvisioningRun.run(Path.of("realm-exports", "demo-tenant.yaml"));
        results.put("provision_apply_ms", Long.toString(result.applyMillis()));
        results.put("provision_reapply_ms", Long.toString(result.reapplyMillis()));
        results.put("provision_reapply_writes", Long.toString(result.reapplyWrites()));
        results.put("provision_10_tenants_ms", Long.toString(result.tenTenantsMillis()));
    }
}
