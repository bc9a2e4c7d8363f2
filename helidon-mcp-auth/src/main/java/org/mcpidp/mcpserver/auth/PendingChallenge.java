package org.mcpidp.mcpserver.auth;

/**
 * Carries a claims challenge from a tool (which cannot set the HTTP status) to the bearer filter, through the request
 * context: registered by the filter for every POST that calls a tool, filled by {@link DownstreamErrors}.
 */
final class PendingChallenge {

    private volatile String header;

    void set(String value) {
        header = value;
    }

    String header() {
        return header;
    }
}
