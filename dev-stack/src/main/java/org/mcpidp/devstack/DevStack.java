package org.mcpidp.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mcpidp.provisioning.EnvFile;
import org.mcpidp.provisioning.keycloak.KeycloakSpecRules;
import org.mcpidp.provisioning.spec.InvalidSpecException;
import org.mcpidp.provisioning.spec.ScopeHierarchy;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.runtime.HealthWait;
import org.mcpidp.runtime.LocalKeycloak;
import org.mcpidp.runtime.LocalKeycloakOptions;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.runtime.OrdersApiProcess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dev stack: Keycloak (a local process from the Maven Central distribution, data in {@code .dev/keycloak}, or
 * one already running), the demo tenant provisioned with idp-provisioning, the demo orders API and helidon-mcp-server
 * in introspection mode (its list_orders tool calling the orders API), until SIGINT/SIGTERM. Writes {@code .dev/stack.env} (0600) once everything answers. Started by
 * {@code ./dev-stack.sh}, which picks the JDK and builds first.
 */
@Command(name = "dev-stack.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts Keycloak " + LocalKeycloak.VERSION + ", provisions the demo tenant and starts the MCP "
                + "server; Ctrl-C stops everything.",
                "Writes .dev/stack.env (0600) with the URLs and the demo agents' credentials."})
public final class DevStack implements Callable<Integer> {

    private static final String ADMIN_PASSWORD = "KEYCLOAK_ADMIN_PASSWORD";
    static final List<String> KEYCLOAK_FEATURES = List.of("--features=cimd");

    @Option(names = "--keycloak-port", paramLabel = "PORT", defaultValue = "${env:DEV_STACK_KEYCLOAK_PORT:-8180}",
            description = "Keycloak HTTP port on 127.0.0.1 (env DEV_STACK_KEYCLOAK_PORT; default ${DEFAULT-VALUE})")
    int keycloakPort;

    @Option(names = "--keycloak-management-port", paramLabel = "PORT",
            defaultValue = "${env:DEV_STACK_KEYCLOAK_MANAGEMENT_PORT:-9180}",
            description = "Keycloak health/management port (env DEV_STACK_KEYCLOAK_MANAGEMENT_PORT; default ${DEFAULT-VALUE})")
    int keycloakManagementPort;

    @Option(names = "--mcp-port", paramLabel = "PORT", defaultValue = "${env:DEV_STACK_MCP_PORT:-8080}",
            description = "MCP server port on 127.0.0.1 (env DEV_STACK_MCP_PORT; default ${DEFAULT-VALUE}); the "
                    + "resource URL and token audience follow it")
    int mcpPort;

    @Option(names = "--orders-api-port", paramLabel = "PORT", defaultValue = "${env:DEV_STACK_ORDERS_API_PORT:-8090}",
            description = "demo orders API port on 127.0.0.1 (env DEV_STACK_ORDERS_API_PORT; default ${DEFAULT-VALUE}); "
                    + "the MCP server's list_orders tool calls it")
    int ordersApiPort;

    @Option(names = "--keycloak-url", paramLabel = "URL", defaultValue = "${env:DEV_STACK_KEYCLOAK_URL}",
            description = "reuse the Keycloak running at URL instead of starting one (env DEV_STACK_KEYCLOAK_URL); "
                    + "admin credentials from env DEV_STACK_KEYCLOAK_ADMIN_USER (default admin) and "
                    + "DEV_STACK_KEYCLOAK_ADMIN_PASSWORD")
    String keycloakUrl;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:DEV_STACK_DIR}",
            description = "state directory: Keycloak data, logs, secrets, stack.env (env DEV_STACK_DIR; default .dev)")
    Path dir;

    @Option(names = "--spec", paramLabel = "FILE", description = "tenant spec (default realm-exports/demo-tenant.yaml)")
    Path spec;

    private final Path root = Path.of(System.getProperty("devstack.root", ".")).toAbsolutePath().normalize();
    private final StackConsole console = new StackConsole(System.out, root);
    private final PrintStream out = console.out();
    private volatile LocalKeycloak keycloak;
    private volatile McpServerProcess mcpServer;
    private volatile OrdersApiProcess ordersApi;
    private volatile boolean stopped;

    public static void main(String[] args) {
        int code = new CommandLine(new DevStack()).execute(args);
        // call() returns only on failure or --help: a running stack ends with SIGINT/SIGTERM and the shutdown hook.
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path state = dir == null ? root.resolve(".dev") : dir.toAbsolutePath().normalize();
        Path specFile = spec == null ? root.resolve("realm-exports/demo-tenant.yaml") : spec.toAbsolutePath();
        boolean reuse = keycloakUrl != null && !keycloakUrl.isBlank();
        String mcpUrl = "http://127.0.0.1:" + mcpPort + "/mcp";
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "dev-stack-stop"));
        try {
            Ports.requireFree(mcpPort, "MCP server", "--mcp-port N or DEV_STACK_MCP_PORT=N");
            Ports.requireFree(ordersApiPort, "orders API", "--orders-api-port N or DEV_STACK_ORDERS_API_PORT=N");
            if (!reuse) {
                Ports.requireFree(keycloakPort, "Keycloak HTTP", "--keycloak-port N or DEV_STACK_KEYCLOAK_PORT=N");
                Ports.requireFree(keycloakManagementPort, "Keycloak management",
                        "--keycloak-management-port N or DEV_STACK_KEYCLOAK_MANAGEMENT_PORT=N");
            }
            TenantSpec tenant = loadTenant(specFile, mcpUrl);
            Files.createDirectories(state);
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
            Path stackEnv = state.resolve("stack.env");
            // Stale from an earlier run: it reappears only when this stack answers.
            Files.deleteIfExists(stackEnv);
            SecretStore secrets = SecretStore.open(state.resolve("secrets.env"));

            String adminUser;
            String adminPassword;
            String kcUrl;
            if (reuse) {
                kcUrl = keycloakUrl.endsWith("/") ? keycloakUrl.substring(0, keycloakUrl.length() - 1) : keycloakUrl;
                adminUser = envOr("DEV_STACK_KEYCLOAK_ADMIN_USER", "admin");
                adminPassword = envOr("DEV_STACK_KEYCLOAK_ADMIN_PASSWORD", "");
                if (adminPassword.isEmpty()) {
                    throw new StartupException("--keycloak-url needs the admin password in DEV_STACK_KEYCLOAK_ADMIN_PASSWORD"
                            + " (and the user in DEV_STACK_KEYCLOAK_ADMIN_USER unless it is admin)");
                }
                console.step(1, "Keycloak: reusing " + kcUrl);
                HealthWait.untilUp(kcUrl + "/realms/master/.well-known/openid-configuration", Duration.ofSeconds(15),
                        () -> true, () -> "no Keycloak answers at " + kcUrl + " (--keycloak-url)");
            } else {
                adminUser = "admin";
                adminPassword = localAdminPassword(state, secrets);
                kcUrl = "http://127.0.0.1:" + keycloakPort;
                keycloak = startKeycloak(state, adminUser, adminPassword);
            }
            String issuer = kcUrl + "/realms/" + tenant.realm();

            console.step(2, "Provisioning realm " + tenant.realm() + " from " + console.shown(specFile)
                    + " (idp-provisioning apply)");
            try {
                TenantProvisioning.apply(tenant, kcUrl, adminUser, adminPassword, secrets, out);
            } catch (RuntimeException e) {
                throw new StartupException("provisioning failed: " + e.getMessage()
                        + (reuse ? " (check DEV_STACK_KEYCLOAK_ADMIN_USER / DEV_STACK_KEYCLOAK_ADMIN_PASSWORD)" : ""), e);
            }

            String ordersUrl = "http://127.0.0.1:" + ordersApiPort;
            Path ordersLog = log(state, "orders-api.log");
            console.step(3, "Orders API: starting on " + ordersUrl + "/orders (tokens for orders-api from " + issuer
                    + "; log " + console.shown(ordersLog) + ")");
            long ordersStart = System.nanoTime();
            try {
                ordersApi = OrdersApiProcess.start(root.resolve("orders-api/target/orders-api.jar"), issuer,
                        ordersApiPort, ordersLog, Duration.ofSeconds(90), console.waiting("orders API"));
            } catch (IllegalStateException e) {
                throw new StartupException(e.getMessage(), e);
            }
            console.readyIn(ordersStart);

            Path serverLog = log(state, "mcp-server.log");
            ScopeHierarchy hierarchy = tenant.scopeHierarchy();
            console.step(4, "MCP server: starting on " + mcpUrl + " (introspection against " + issuer
                    + (hierarchy.isEmpty() ? "" : "; scope hierarchy " + String.join(", ", hierarchy.entries()))
                    + "; log " + console.shown(serverLog) + ")");
            long serverStart = System.nanoTime();
            String serverSecret = secrets.get(tenant.resource().secret().envName()).orElseThrow(() ->
                    new StartupException("provisioning gave no secret for " + tenant.resource().clientId()));
            mcpServer = DevMcpServer.start(root.resolve("helidon-mcp-server/target/helidon-mcp-server.jar"),
                    mcpPort, mcpUrl, issuer, tenant.resource().clientId(), serverSecret, ordersUrl, hierarchy,
                    serverLog, console.waiting("MCP server"));
            console.readyIn(serverStart);

            EnvFile.write(stackEnv, "The dev stack (./dev-stack.sh). Secrets: keep this file private (0600).\n"
                    + "Use: set -a; . " + console.shown(stackEnv) + "; set +a",
                    StackEnv.of(tenant, kcUrl, issuer, mcpUrl, ordersUrl, adminUser, adminPassword, secrets));
            console.step(5, "Wrote " + console.shown(stackEnv) + " (mode 0600)");
            console.printReady(started, mcpUrl, kcUrl, ordersUrl, stackEnv);
        } catch (StartupException | InvalidSpecException | IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            return 1;
        }
        while (mcpServer.isAlive() && ordersApi.isAlive() && !stopped) {
            Thread.sleep(500);
        }
        if (!stopped) {
            boolean server = !mcpServer.isAlive();
            System.err.println("ERROR: the " + (server ? "MCP server" : "orders API") + " exited. Last lines of its log:\n"
                    + (server ? mcpServer.logTail(30) : ordersApi.logTail(30)));
            return 1;
        }
        return 0;
    }

    private TenantSpec loadTenant(Path specFile, String mcpUrl) throws InvalidSpecException, IOException {
        // Only MCP_URL comes from here: secrets stay unset so Keycloak keeps (or generates) them and hands them over.
        List<TenantSpec> tenants = new SpecLoader(Map.of("MCP_URL", mcpUrl), KeycloakSpecRules.INSTANCE).load(specFile).tenants();
        if (tenants.size() != 1) {
            throw new StartupException(specFile + " holds " + tenants.size() + " tenants; the dev stack runs one");
        }
        return tenants.get(0);
    }

    private String localAdminPassword(Path state, SecretStore secrets) {
        boolean hasData = Files.isDirectory(state.resolve("keycloak/h2"));
        if (hasData && secrets.get(ADMIN_PASSWORD).isEmpty()) {
            throw new StartupException("Keycloak data exists in " + console.shown(state.resolve("keycloak"))
                    + " but its admin password is not in " + console.shown(state.resolve("secrets.env")) + ". Delete "
                    + console.shown(state.resolve("keycloak")) + " to start from scratch.");
        }
        // Made up once and saved before Keycloak first creates its database: Keycloak reads it only then.
        return secrets.getOrGenerate(ADMIN_PASSWORD);
    }

    private LocalKeycloak startKeycloak(Path state, String adminUser, String adminPassword) throws IOException {
        Path data = state.resolve("keycloak");
        boolean restart = Files.isDirectory(data.resolve("h2"));
        Path log = log(state, "keycloak.log");
        console.step(1, "Keycloak " + LocalKeycloak.VERSION + ": starting on http://127.0.0.1:" + keycloakPort + " ("
                + (restart ? "existing data" : "new data") + " in " + console.shown(data) + "; log " + console.shown(log)
                + ")");
        long start = System.nanoTime();
        // --features=cimd: Client ID Metadata Documents (EXPERIMENTAL in Keycloak 26.7.3), which the demo tenant turns
        // on; provisioning refuses that part on a Keycloak without the feature.
        LocalKeycloakOptions options = new LocalKeycloakOptions(keycloakPort, keycloakManagementPort, data, log,
                adminUser, adminPassword, KEYCLOAK_FEATURES, Map.of(), Duration.ofSeconds(180), waited -> {
                }).withProgress(console.waiting("Keycloak"));
        Path home = root.resolve("target/keycloak-dist/keycloak-" + LocalKeycloak.VERSION);
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new StartupException("no Keycloak distribution at " + home + ": ./dev-stack.sh unpacks it while "
                    + "building (./mvnw -q -DskipTests -pl helidon-mcp-server,dev-stack -am package)");
        }
        LocalKeycloak server = new LocalKeycloak(home, options);
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        console.readyIn(start);
        return server;
    }

    /** Stops the server, then Keycloak; runs once, from the shutdown hook (Ctrl-C, SIGTERM, or a failed start). */
    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (mcpServer == null && ordersApi == null && keycloak == null) {
            return;
        }
        out.println();
        if (mcpServer != null) {
            out.println("Stopping the MCP server...");
            mcpServer.close();
        }
        if (ordersApi != null) {
            out.println("Stopping the orders API...");
            ordersApi.close();
        }
        if (keycloak != null) {
            out.println("Stopping Keycloak...");
            keycloak.close();
        }
        out.println("Stopped. Keycloak's data stays in place for the next start.");
        out.flush();
    }

    private static Path log(Path state, String name) throws IOException {
        Path file = state.resolve("logs").resolve(name);
        Files.createDirectories(file.getParent());
        // One run per log file: the current run is what a user needs to read.
        Files.deleteIfExists(file);
        return file;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
