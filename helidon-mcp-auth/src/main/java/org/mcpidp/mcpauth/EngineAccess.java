package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * The two per-caller checks inside the {@link SdkEngine}: what a list shows her, and the last check before a handler
 * runs. The gate decided both already; these make the engine safe on its own too, so a gate bug or a request that
 * bypassed the gate lists nothing and runs nothing.
 */
final class EngineAccess {

    private EngineAccess() {
    }

    /** The caller of a request, as the kit's transport handed it to the engine. */
    private static Optional<AuthInfo> callerOf(McpRequestContext context) {
        return CallerContext.caller(context.transportContext());
    }

    /** Visible to the caller of {@code context}: what its requirement allows her. */
    static boolean visible(McpRequestContext context, ToolRequirement requirement) {
        return callerOf(context).map(requirement::allows).orElse(false);
    }

    /**
     * The last check, where the handler runs: the gate refused this already, so reaching it means a gate bug or a
     * request that bypassed the gate. Nothing runs.
     */
    static void admit(McpRequestContext context, ToolRequirement requirement, String what) {
        AuthInfo caller = callerOf(context).orElseThrow(() -> new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR,
                "no authenticated caller"));
        if (!requirement.allows(caller)) {
            throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "not allowed: " + what
                    + " needs what this caller lacks");
        }
    }
}
