package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The one way the module's tests start the real server: {@link Main#parts} (as production) with the packaged
 * application.yaml and test overrides on top, on a loopback port. No environment variables or system properties are
 * read: CI's environment must not change a test. The named fixtures ({@link TestServer}, {@link LocalIdpServer},
 * the security and people servers) add only what their tests need on top of this.
 */
public final class ServerUnderTest implements AutoCloseable {

    public final int port;
    public final String baseUrl;
    public final String mcpUrl;
    public final ServerConfig settings;
    public final TokenVerifier verifier;
    final Main.Parts parts;
    private final WebServer server;

    private ServerUnderTest(int port, ServerConfig settings, TokenVerifier verifier, Main.Parts parts,
                            WebServer server) {
        this.port = port;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.mcpUrl = parts.auth().resource().toString();
        this.settings = settings;
        this.verifier = verifier;
        this.parts = parts;
        this.server = server;
    }

    /** {@code overrides} on top of application.yaml, nothing else. */
    public static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides), ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** Starts the server on {@code port} with {@code overrides} (which must name the issuers). */
    public static ServerUnderTest start(int port, Map<String, String> overrides) {
        return start(port, overrides, UnaryOperator.identity());
    }

    /** As above; {@code tuning} sets on the auth feature's builder what configuration does not (test clocks). */
    public static ServerUnderTest start(int port, Map<String, String> overrides,
                                        UnaryOperator<BearerAuthFeature.Builder> tuning) {
        Map<String, String> values = new HashMap<>(overrides);
        values.put("server.port", Integer.toString(port));
        // Not stopped by SIGTERM here; a server still running when the test JVM exits stops without a drain
        // (ShutdownDrainTest runs the real Main in a child JVM for that).
        values.putIfAbsent("shutdown.drain-timeout", "PT0S");
        Config config = config(values);
        ServerConfig settings = ServerConfig.from(config);
        Main.Parts parts = Main.parts(config, settings, ProductStore.withSamples(), tuning);
        WebServer server = parts.server().build().start();
        quietAuditLog();
        return new ServerUnderTest(port, settings, parts.auth().verifier().orElseThrow(), parts, server);
    }

    /** Strong reference: JUL keeps loggers weakly, and a collected logger would lose the settings below. */
    private static final java.util.logging.Logger AUDIT_LOG = java.util.logging.Logger.getLogger("mcp.audit");
    private static final java.util.logging.Handler DISCARD = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            record.getMessage(); // the line was built and handed over like in production; nothing keeps it
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * The audit trail stays on (its queue, writer and JSON are part of what the tests exercise), but its lines do not
     * go to the test JVM's console: hundreds of thousands of them (the session cycles, the soak) filled the
     * surefire reports (130 MB for one class) and the heap that the flatness tests measure. Set after the start:
     * starting a WebServer resets the JUL handlers. AuditTrailTest attaches its own handler, which still gets every line.
     */
    private static synchronized void quietAuditLog() {
        AUDIT_LOG.setUseParentHandlers(false);
        for (java.util.logging.Handler handler : AUDIT_LOG.getHandlers()) {
            String type = handler.getClass().getName();
            if (type.startsWith("io.helidon") || type.endsWith(".AuditConsoleHandler")) {
                AUDIT_LOG.removeHandler(handler);
            }
        }
        if (!java.util.Arrays.asList(AUDIT_LOG.getHandlers()).contains(DISCARD)) {
            AUDIT_LOG.addHandler(DISCARD);
        }
    }

    /** The session registry's counts. */
    public org.mcpidp.mcpauth.SessionStats sessions() {
        return parts.auth().sessionStats();
    }

    @Override
    public void close() {
        server.stop();
    }
}
