package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.spec.RegistrationSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * OAuth Client ID Metadata Documents, an EXPERIMENTAL feature of Keycloak 26.7.3 ({@code kc.sh --features=cimd}): a
 * client policy profile with the {@code client-id-metadata-document} executor and a client policy with the
 * {@code client-id-uri} condition, both named {@value #NAME}.
 *
 * <p>Refuses (plan and apply) when the server runs without the feature: a realm holding a {@code client-id-uri} policy
 * then answers EVERY authorization request with HTTP 500 (seen on 26.7.3), i.e. writing it would lock out everyone.
 */
final class ClientPolicyReconciler extends OwnedClientPolicyReconciler {

    static final String NAME = "mcpidp-client-id-metadata-document";
    static final String FEATURE = "CIMD";
    static final String EXECUTOR = "client-id-metadata-document";
    static final String CONDITION = "client-id-uri";
    private static final ObjectMapper JSON = new ObjectMapper();

    ClientPolicyReconciler() {
        super(NAME);
    }

    @Override
    Optional<Pair> wanted(TenantSpec spec) {
        return spec.registration().clientIdMetadataDocuments().map(cimd -> pair(spec, cimd));
    }

    @Override
    boolean needsCimd() {
        return true;
    }

    @Override
    ProvisioningException cimdMissing(TenantSpec spec) {
        return new ProvisioningException("realm " + spec.realm() + ": registration.clientIdMetadataDocuments needs "
                + "Keycloak's EXPERIMENTAL feature cimd (start it with kc.sh --features=cimd), and this server runs without "
                + "it; refusing to write the client-id-uri policy, because a realm holding one answers every "
                + "authorization request with HTTP 500 on such a server. Nothing was changed.");
    }

    static String description(String realm) {
        return Ownership.descriptionPrefix(realm) + "(Client ID Metadata Documents, EXPERIMENTAL in Keycloak 26.7.3)";
    }

    static Pair pair(TenantSpec spec, RegistrationSpec.ClientIdMetadataDocuments cimd) {
        return cimdPair(NAME, description(spec.realm()), cimd.allowedDomains(), cimd.allowedDomains());
    }

    /**
     * A metadata-document policy: https client ids on {@code clientIdDomains} only, and every host their documents
     * name within {@code documentHosts}; no http, no same-domain restriction (a client's logo and redirects sit on
     * other hosts than its id), public clients allowed.
     */
    static Pair cimdPair(String name, String description, List<String> documentHosts, List<String> clientIdDomains) {
        ObjectNode executor = JSON.createObjectNode();
        executor.put("cimd-allow-http-scheme", false);
        documentHosts.forEach(executor.putArray("cimd-allow-permitted-domains")::add);
        executor.put("cimd-restrict-same-domain", false);
        executor.putArray("cimd-required-properties");
        executor.put("only-allow-confidential-client", false);
        ObjectNode condition = JSON.createObjectNode();
        condition.put("is-negative-logic", false);
        condition.putArray("client-id-uri-scheme").add("https");
        clientIdDomains.forEach(condition.putArray("client-id-uri-allow-permitted-domains")::add);
        return pair(name, description, EXECUTOR, executor, CONDITION, condition);
    }

    @Override
    Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        JsonNode executor = executorConfig(profile, EXECUTOR);
        JsonNode condition = conditionConfig(policy, CONDITION);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("experimental", "Keycloak feature cimd");
        fields.put("allowedDomains", FieldChange.list(strings(executor.path("cimd-allow-permitted-domains"))));
        putCimdSwitches(fields, executor);
        fields.put("clientIdUriScheme", FieldChange.list(strings(condition.path("client-id-uri-scheme"))));
        fields.put("clientIdUriDomains", FieldChange.list(strings(condition.path("client-id-uri-allow-permitted-domains"))));
        putPolicyFields(fields, policy);
        return fields;
    }
}
