package org.mcpidp.mcpauth.audit;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Writes an audit record as it is: one JSON object per line (JSON Lines), nothing around it. Set it on the handler
 * that receives the {@code mcp.audit} logger, e.g. {@code java.util.logging.FileHandler.formatter=} this class.
 */
public final class AuditFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        return record.getMessage() + "\n";
    }
}
