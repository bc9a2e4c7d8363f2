package org.mcpidp.provisioning;

/** One managed field: its live value and the value the spec wants ({@code ""} when absent). Never a secret. */
public record FieldChange(String field, String before, String after) {
}
