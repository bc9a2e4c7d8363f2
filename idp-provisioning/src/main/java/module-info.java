/**
 * One tenant spec becomes a Keycloak realm or Entra ID app registrations: {@code plan}, {@code apply}, {@code export},
 * idempotent, pruning only what it owns. The API: the tenant spec ({@code org.mcpidp.provisioning.spec}), the plan
 * and its report ({@code org.mcpidp.provisioning}) and the two targets ({@code .keycloak}, {@code .entra}). The plan
 * engine and the command line ({@code idp-provision}) are internal.
 */
module org.mcpidp.provisioning {
    requires org.mcpidp.http;
    requires okhttp3;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires keycloak.admin.client;
    requires keycloak.client.common.synced;
    requires jakarta.ws.rs;
    requires com.microsoft.aad.msal4j;
    requires info.picocli;

    exports org.mcpidp.provisioning;
    exports org.mcpidp.provisioning.spec;
    exports org.mcpidp.provisioning.keycloak;
    exports org.mcpidp.provisioning.entra;

    opens org.mcpidp.provisioning.cli to info.picocli;                            // its commands and options
    opens org.mcpidp.provisioning.keycloak to com.fasterxml.jackson.databind;     // the realm export's records
}
