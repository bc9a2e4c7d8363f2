package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import org.mcpidp.verifier.AuthInfo;

/**
 * Rewrites a {@code tools/list} answer of the MCP extension so it lists only the tools the caller may call. The
 * extension has no hook for this (its tool list is fixed when the feature is built), so the response body is buffered
 * (a tools/list answer is small), parsed, filtered and written once on close. Everything else in the answer
 * (pagination cursor, schemas, annotations, whatever the negotiated protocol version adds) is kept byte-for-byte in
 * meaning, because it is the extension's own JSON with entries removed.
 *
 * <p>An answer that is not the expected JSON is passed on unchanged: hiding tools is a courtesy to the client, the
 * security boundary is the {@code tools/call} check, which never depends on this class.
 */
final class ToolListFilter extends OutputStream {

    private static final System.Logger LOGGER = System.getLogger(ToolListFilter.class.getName());

    private final OutputStream delegate;
    private final ObjectMapper json;
    private final Map<String, ToolRequirement> tools;
    private final AuthInfo caller;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private boolean closed;

    ToolListFilter(OutputStream delegate, ObjectMapper json, Map<String, ToolRequirement> tools, AuthInfo caller) {
        this.delegate = delegate;
        this.json = json;
        this.tools = tools;
        this.caller = caller;
    }

    @Override
    public void write(int b) {
        buffer.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        // held back until close: the whole answer is needed to filter it
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        byte[] original = buffer.toByteArray();
        byte[] result = original;
        try {
            JsonNode root = json.readTree(original);
            if (root != null && filter(root)) {
                result = json.writeValueAsBytes(root);
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "tools/list answer not filtered (not the expected JSON): " + e);
        }
        delegate.write(result);
        delegate.close();
    }

    /** Removes the tools the caller may not call; true when anything changed. */
    private boolean filter(JsonNode root) {
        boolean changed = false;
        if (root.isArray()) {
            for (JsonNode message : root) {
                changed |= filterMessage(message);
            }
        } else {
            changed = filterMessage(root);
        }
        return changed;
    }

    private boolean filterMessage(JsonNode message) {
        JsonNode list = message.path("result").path("tools");
        if (!(list instanceof ArrayNode array)) {
            return false;
        }
        boolean changed = false;
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode tool = it.next();
            ToolRequirement requirement = tools.get(tool.path("name").asText());
            if (requirement != null && !requirement.allows(caller)) {
                it.remove();
                changed = true;
            }
        }
        return changed;
    }
}
