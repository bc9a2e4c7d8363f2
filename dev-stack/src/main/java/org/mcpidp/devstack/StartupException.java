package org.mcpidp.devstack;

/** The stack cannot start; the message says why and what to do, and is all the user sees (no stack trace). */
final class StartupException extends RuntimeException {

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
