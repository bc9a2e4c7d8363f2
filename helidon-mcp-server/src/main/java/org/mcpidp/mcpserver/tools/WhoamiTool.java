package org.mcpidp.mcpserver.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/** {@code whoami}: who the server thinks is calling. Any authenticated caller. */
public final class WhoamiTool implements SdkTool {

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("whoami", ToolJson.NO_ARGUMENTS)
            .description("Shows the verified caller: subject, client id, username, name and email when the token has "
                    + "them, issuer, scopes, roles and token expiry.")
            .build();

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.anyAuthenticated();
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        AuthInfo caller = SdkTool.caller(context);
        ObjectNode out = ToolJson.object();
        out.put("subject", caller.subject());
        out.put("clientId", caller.clientId().orElse(null));
        // the person's display identity, only what the token carries (a machine client has none of these)
        caller.username().ifPresent(username -> out.put("username", username));
        caller.name().ifPresent(name -> out.put("name", name));
        caller.email().ifPresent(email -> out.put("email", email));
        out.put("issuer", caller.issuer());
        caller.scopes().stream().sorted().forEach(out.putArray("scopes")::add);
        caller.roles().stream().sorted().forEach(out.putArray("roles")::add);
        out.put("expiresAt", caller.expiresAt().toString());
        return ToolJson.result(out);
    }
}
