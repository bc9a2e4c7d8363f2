package com.example.mcp;

import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;

/** The README examples' package-private entry points, for ReadmeExamplesTest (not shown in the README). */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    public static WebServerConfig.Builder ordersServer(Config config) {
        return OrdersServer.server(config);
    }

    public static HttpServer plainJavaServer(int port, String issuer) throws IOException {
        return PlainJavaServer.start(port, issuer);
    }
}
