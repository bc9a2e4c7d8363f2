package org.mcpidp.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails early, and clearly, when a port the stack needs is taken. */
final class Ports {

    private Ports() {
    }

    /**
     * @param what   what would listen there, e.g. "Keycloak HTTP"
     * @param option how to choose another port, e.g. "--keycloak-port N or DEV_STACK_KEYCLOAK_PORT=N"
     * @throws StartupException when something already listens on 127.0.0.1:{@code port}
     */
    static void requireFree(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new StartupException("port " + port + " on 127.0.0.1 (" + what + ") is already in use (is a dev stack "
                    + "already running?). Stop what listens there (see: ss -ltnp 'sport = :" + port + "') or choose another port with " + option
                    + ".");
        }
    }
}
