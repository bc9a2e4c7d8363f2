package org.mcpidp.ordersapi;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import java.lang.System.Logger.Level;

/** Runs the orders API: {@code java -jar orders-api.jar} with {@code ORDERS_API_ISSUER} (and {@code ORDERS_API_PORT}). */
public final class Main {

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        OrdersApiSettings settings;
        try {
            settings = OrdersApiSettings.from(Config.create());
        } catch (IllegalStateException e) {
            // A configuration mistake is the user's to fix: say which key, no stack trace.
            System.err.println("orders-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.recordTokenHashes()) {
            LOGGER.log(Level.WARNING, "orders-api.record-token-hashes is on: token hashes are kept in memory (tests only)");
        }
        OrdersApi api = OrdersApi.start(settings);
        LOGGER.log(Level.INFO, "orders API on http://" + settings.host() + ":" + api.port() + "/orders, accepting "
                + "tokens of " + settings.issuer() + " for audience " + settings.audience() + " with scope "
                + settings.requiredScope());
    }
}
