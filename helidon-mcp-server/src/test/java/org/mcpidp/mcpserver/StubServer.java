package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SdkEngine;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.testkit.FreePort;

/**
 * The library alone - the stages and the MCP Java SDK engine, no application.yaml, no IdP - on a free loopback port at
 * {@code /mcp}, trusting a {@link StubVerifier}: for tests of what happens after verification (the gate's reporting,
 * a tool's failure as the client sees it). The test gives its tools and adds its listeners to the feature builder.
 */
public final class StubServer implements AutoCloseable {

    /** The bearer token every request sends; the stub verifier accepts any. */
    public static final String TOKEN = "fixed-caller";

    public final String url;
    public final McpHttp mcp;
    private final WebServer server;

    private StubServer(String url, WebServer server) {
        this.url = url;
        this.mcp = new McpHttp(url);
        this.server = server;
    }

    /** Starts the feature built from {@code verifier} and the test's {@code setup} (tools, listener, clock). */
    public static StubServer start(StubVerifier verifier, List<SdkTool> tools,
                                   UnaryOperator<BearerAuthFeature.Builder> setup) {
        int port = FreePort.find();
        String url = "http://127.0.0.1:" + port + "/mcp";
        SdkEngine.Builder engine = SdkEngine.builder();
        tools.forEach(engine::addTool);
        BearerAuthFeature auth = setup.apply(BearerAuthFeature.builder()
                        .verifier(verifier)
                        .resource(URI.create(url))
                        .engine(engine.build()))
                .build();
        WebServer server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth).build().start();
        return new StubServer(url, server);
    }

    /** initialize + notifications/initialized as {@link #TOKEN}; returns the session id. */
    public String openSession() {
        return mcp.openSession(TOKEN);
    }

    /** {@code tools/call} of {@code tool} with no arguments in {@code session}. */
    public McpHttp.Reply call(String session, String tool) {
        return mcp.callTool(TOKEN, session, tool, "{}");
    }

    @Override
    public void close() {
        server.stop();
    }
}
