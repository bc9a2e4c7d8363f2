package org.mcpidp.mcpauth;

/**
 * What one stage in front of MCP decided about a request: go on, with what it established (the caller, the parsed
 * messages, the caller's session), or refuse, with everything the one answer writer ({@link Answers}) needs. Stages
 * never write answers themselves.
 *
 * @param <T> what a passing request carries on to the next stage
 */
sealed interface Decision<T> {

    /** Go on with {@code value}. */
    record Pass<T>(T value) implements Decision<T> {
    }

    /** Refuse: the request goes no further. */
    record Refuse<T>(Refusal refusal) implements Decision<T> {
    }

    static <T> Decision<T> pass(T value) {
        return new Pass<>(value);
    }

    static <T> Decision<T> refuse(Refusal refusal) {
        return new Refuse<>(refusal);
    }
}
