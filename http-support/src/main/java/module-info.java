/**
 * HTTP plumbing the kit's modules share (bounded OkHttp clients, Retry-After, web URL checks). Not an API: exported
 * only to the kit's own modules.
 */
module org.mcpidp.http {
    requires okhttp3;

    exports org.mcpidp.http to org.mcpidp.verifier, org.mcpidp.downstream, org.mcpidp.provisioning, org.mcpidp.mcpauth;
}
