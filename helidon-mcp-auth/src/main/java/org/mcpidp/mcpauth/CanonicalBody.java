package org.mcpidp.mcpauth;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.function.UnaryOperator;

/**
 * A request stream filter that replaces the body with the one the JSON-RPC gate authorized, once it has one: the bytes
 * that arrived pass through unchanged for the gate's own read, and every later read (the MCP extension's) gets the
 * gate's parse written out again ({@link JsonRpcCalls#canonical}). One instance per request.
 */
final class CanonicalBody implements UnaryOperator<InputStream> {

    private volatile byte[] authorized;

    /** From now on, readers of the body get {@code body}. */
    void set(byte[] body) {
        this.authorized = body;
    }

    @Override
    public InputStream apply(InputStream arrived) {
        byte[] body = authorized;
        return body == null ? arrived : new ByteArrayInputStream(body);
    }
}
