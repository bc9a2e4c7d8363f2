package org.mcpidp.provisioning.spec;

import java.util.Optional;

/**
 * Rules of one IdP target on names a spec declares (a realm Keycloak reserves, its built-in scopes and roles) and on
 * what it can hold at all (Entra: one server per spec, no self-registration), kept
 * out of the target-neutral spec. The binder asks them where each name is written, so a refusal is reported like
 * every other spec error ({@code file:line:column: field: message}) before anything touches an IdP. Each answer is
 * the reason for refusing the name, or empty.
 */
public interface TargetRules {

    /** No rules beyond the spec's own. */
    TargetRules NONE = new TargetRules() {
    };

    default Optional<String> realm(String realm) {
        return Optional.empty();
    }

    default Optional<String> scope(String name) {
        return Optional.empty();
    }

    default Optional<String> role(String name) {
        return Optional.empty();
    }

    /** Why the target cannot use {@code url} (already canonical) as an MCP server's resource URL, or empty. */
    default Optional<String> resourceUrl(java.net.URI url) {
        return Optional.empty();
    }

    /** Why the target cannot serve {@code count} MCP servers from one tenant spec, or empty. */
    default Optional<String> servers(int count) {
        return Optional.empty();
    }

    /**
     * Why the target ignores {@code registration.<field>} ({@code dynamic} or {@code clientIdMetadataDocuments}):
     * reported as a warning at that field, or empty when the target offers it.
     */
    default Optional<String> ignoredRegistration(String field) {
        return Optional.empty();
    }
}
