package com.example.mcp;

import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;

/** The documented examples' package-private entry points, for ReadmeExamplesTest (not shown in the docs). */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    public static WebServerConfig.Builder ordersServer(Config config) {
        return OrdersServer.server(config);
    }

    public static WebServerConfig.Builder extensionOrdersServer(Config config) {
        return ExtensionOrdersServer.server(config);
    }

    public static String verifyToken(String issuer, String token) {
        return VerifyToken.check(VerifyToken.verifier(issuer, "from-the-environment"), token);
    }

    public static String orderHistoryToolName(String issuer) {
        return OrderHistoryTool.create(issuer, "from-the-environment", "http://127.0.0.1:1/orders").definition().name();
    }

    public static HttpServer plainJavaServer(int port, String issuer) throws IOException {
        return PlainJavaServer.start(port, issuer);
    }
}
