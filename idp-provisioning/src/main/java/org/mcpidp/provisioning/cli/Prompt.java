package org.mcpidp.provisioning.cli;

import java.io.Console;
import java.util.Optional;

/** Asks the person at the terminal; empty when there is nobody to ask (no console: CI, pipes). */
@FunctionalInterface
interface Prompt {

    Optional<String> ask(String question);

    static Prompt console() {
        return question -> {
            Console console = System.console();
            return console == null ? Optional.empty() : Optional.ofNullable(console.readLine("%s", question));
        };
    }

    static Prompt none() {
        return question -> Optional.empty();
    }
}
