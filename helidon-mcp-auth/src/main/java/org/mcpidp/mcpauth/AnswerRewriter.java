package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Rewrites answers of the MCP extension that it has no hook for: {@code tools/list} lists only the tools the caller
 * may call ({@link ToolListRewrite}: its tool list is fixed when the feature is built), and {@code initialize}
 * announces only the capabilities the server has ({@link ExtensionCapabilities}). The response body is buffered (these
 * answers are small), parsed, each JSON-RPC message is handed to the rewrites, and the result is written once on
 * close. Everything else in the answer (pagination cursor, schemas, whatever the negotiated protocol version adds)
 * stays the extension's own JSON.
 *
 * <p>An answer that is not the expected JSON is passed on unchanged: hiding tools is a courtesy to the client, the
 * security boundary is the {@code tools/call} check, which never depends on this class.
 */
final class AnswerRewriter extends OutputStream {

    /** Changes one JSON-RPC message in place; true when it changed anything. */
    interface MessageRewrite {
        boolean rewrite(JsonNode message);
    }

    private static final System.Logger LOGGER = System.getLogger(AnswerRewriter.class.getName());

    private final OutputStream delegate;
    private final ObjectMapper json;
    private final List<MessageRewrite> rewrites;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private boolean closed;

    AnswerRewriter(OutputStream delegate, ObjectMapper json, List<MessageRewrite> rewrites) {
        this.delegate = delegate;
        this.json = json;
        this.rewrites = List.copyOf(rewrites);
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
        // held back until close: the whole answer is needed to rewrite it
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
            if (root != null && rewrite(root)) {
                result = json.writeValueAsBytes(root);
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "MCP answer not rewritten (not the expected JSON): "
                    + e.getClass().getSimpleName());
        }
        delegate.write(result);
        delegate.close();
    }

    private boolean rewrite(JsonNode root) {
        boolean changed = false;
        if (root.isArray()) {
            for (JsonNode message : root) {
                changed |= rewriteMessage(message);
            }
        } else {
            changed = rewriteMessage(root);
        }
        return changed;
    }

    private boolean rewriteMessage(JsonNode message) {
        boolean changed = false;
        for (MessageRewrite rewrite : rewrites) {
            changed |= rewrite.rewrite(message);
        }
        return changed;
    }
}
