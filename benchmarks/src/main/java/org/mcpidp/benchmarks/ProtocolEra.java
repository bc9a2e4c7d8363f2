package org.mcpidp.benchmarks;

/**
 * The two ways a client talks to the one {@code /mcp} endpoint, which the load runs measure side by side.
 * {@link #MODERN}: revision 2026-07-28, stateless, every POST stands alone (its {@code _meta} and the
 * {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name} headers), answered as JSON; any instance may
 * serve it. {@link #LEGACY}: revision 2025-11-25, {@code initialize} opens a session ({@code Mcp-Session-Id}) that
 * lives in one instance's memory, and requests in it are answered as event streams.
 */
enum ProtocolEra {
    MODERN("modern", "2026-07-28"),
    LEGACY("legacy", "2025-11-25");

    private final String label;
    private final String version;

    ProtocolEra(String label, String version) {
        this.label = label;
        this.version = version;
    }

    /** The name in RESULT lines and in the wrk script's {@code MCP_ERA}. */
    String label() {
        return label;
    }

    /** The protocol revision its requests name. */
    String version() {
        return version;
    }
}
