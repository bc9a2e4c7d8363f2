package org.mcpidp.downstream;

import java.util.Objects;

/**
 * No downstream token could be had for a call: carries the typed {@link ExchangeFailure}. Unchecked, so a tool can
 * let it travel to the server's error mapping (helidon-mcp-auth turns it into a JSON-RPC tool error, or a 401 claims
 * challenge) instead of wrapping it at every call site. The message is the failure's reason and detail, never a
 * token.
 */
public final class DownstreamException extends RuntimeException {

    private final ExchangeFailure failure;

    public DownstreamException(ExchangeFailure failure) {
        super(Objects.requireNonNull(failure, "failure").reason() + ": " + failure.detail(), null, false, false);
        this.failure = failure;
    }

    public ExchangeFailure failure() {
        return failure;
    }
}
