package org.mcpidp.mcpauth;

/**
 * The paths the stages in front of MCP look at: the MCP endpoint and everything below it ({@code /mcp},
 * {@code /mcp/message}), and the protected resource metadata documents.
 *
 * @param mcpPath the MCP endpoint path, e.g. {@code /mcp}
 */
record GuardedPaths(String mcpPath) {

    boolean isMcp(String path) {
        return path.equals(mcpPath) || path.startsWith(mcpPath + "/");
    }

    boolean isMetadata(String path) {
        return path.equals(ProtectedResourceMetadata.WELL_KNOWN)
                || path.startsWith(ProtectedResourceMetadata.WELL_KNOWN + "/");
    }
}
