package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.spec.ClientProfile;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The client policy one metadata-document client of {@code people.clients} needs, named
 * {@value #PREFIX}{@code <client>}: the {@code client-id-uri} condition sends only client ids on that client's own
 * domains to a {@code client-id-metadata-document} executor that permits exactly the hosts its published document
 * names. Keycloak 26.7.3 refuses a document naming any host the executor does not permit (the logo on
 * code.visualstudio.com included), and refuses VS Code's and Claude Code's documents when
 * {@code cimd-restrict-same-domain} is on (their redirects are on loopback, not on the document's domain): off here.
 * Kept apart from the registration section's policy so that one client's hosts never let another client's document in.
 *
 * <p>Like {@link ClientPolicyReconciler}, refuses plan and apply on a server without the EXPERIMENTAL cimd feature,
 * where a realm holding a {@code client-id-uri} policy answers every authorization request with HTTP 500.
 */
final class ProfilePolicyReconciler extends OwnedClientPolicyReconciler {

    static final String PREFIX = "mcpidp-cimd-";

    private final ClientProfile client;

    ProfilePolicyReconciler(ClientProfile client) {
        super(PREFIX + client.specName());
        this.client = client;
    }

    /** One per client that signs in with a metadata document, in profile order. */
    static List<ProfilePolicyReconciler> all() {
        return java.util.Arrays.stream(ClientProfile.values())
                .filter(c -> c.registration() == ClientProfile.Registration.METADATA_DOCUMENT)
                .map(ProfilePolicyReconciler::new).toList();
    }

    @Override
    Optional<Pair> wanted(TenantSpec spec) {
        return PeopleClients.metadataDocuments(spec).contains(client) ? Optional.of(pair(spec)) : Optional.empty();
    }

    @Override
    boolean needsCimd() {
        return true;
    }

    @Override
    ProvisioningException cimdMissing(TenantSpec spec) {
        return new ProvisioningException("realm " + spec.realm() + ": people.clients " + client.specName() + " ("
                + client.title() + ") signs in with its Client ID Metadata Document, which needs Keycloak's EXPERIMENTAL "
                + "feature cimd (start it with kc.sh --features=cimd), and this server runs without it; refusing to write "
                + "the client-id-uri policy, because a realm holding one answers every authorization request with HTTP "
                + "500 on such a server. Nothing was changed.");
    }

    Pair pair(TenantSpec spec) {
        return ClientPolicyReconciler.cimdPair(PREFIX + client.specName(), Ownership.descriptionPrefix(spec.realm())
                        + "(" + client.title() + ": Client ID Metadata Document, EXPERIMENTAL in Keycloak 26.7.3)",
                client.documentHosts(), client.documentDomains());
    }

    @Override
    Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        JsonNode executor = executorConfig(profile, ClientPolicyReconciler.EXECUTOR);
        JsonNode condition = conditionConfig(policy, ClientPolicyReconciler.CONDITION);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("experimental", "Keycloak feature cimd");
        fields.put("clientIdDomains", FieldChange.list(strings(condition.path("client-id-uri-allow-permitted-domains"))));
        fields.put("clientIdUriScheme", FieldChange.list(strings(condition.path("client-id-uri-scheme"))));
        fields.put("permittedDomains", FieldChange.list(strings(executor.path("cimd-allow-permitted-domains"))));
        putCimdSwitches(fields, executor);
        putPolicyFields(fields, policy);
        return fields;
    }
}
