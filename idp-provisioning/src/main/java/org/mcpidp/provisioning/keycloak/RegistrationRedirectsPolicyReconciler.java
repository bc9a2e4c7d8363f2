package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.spec.RegistrationSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * With RFC 7591 dynamic registration on and home page hosts listed ({@code registration.dynamic.homePageHosts}): a
 * self-registering client may not redirect to those hosts, although Keycloak's Trusted Hosts policy lists them (it
 * checks {@code client_uri} and redirect URIs against the same list, see {@link RegistrationPolicyReconciler}). A
 * client policy profile with Keycloak's {@code secure-redirect-uris-enforcer} executor and a policy applying it
 * through the {@code client-updater-context} condition (anonymous registrations, updates with a registration access
 * token), both named {@value #NAME}.
 *
 * <p>What the executor lets through (Keycloak 26.7.3): a redirect or post-logout redirect URI on loopback (by its
 * resolved address; Trusted Hosts then still wants the name as written, e.g. {@code localhost} or {@code 127.0.0.1}),
 * a private-use scheme (as Trusted Hosts did; it checks the host), or an http(s) URI whose host matches one of
 * {@link #permittedDomains}: the trusted hosts, the Client ID Metadata Document domains and the hosts the metadata
 * documents of {@code people.clients} name, never a home page host that is not also trusted. No wildcards. The
 * condition also takes Client ID Metadata Document clients (Keycloak creates them as anonymous registrations), so
 * their hosts are permitted too (VS Code's document lists https://vscode.dev/redirect); their redirects are bound by
 * their own policies as well. The condition abstains on authorization requests, so clients an administrator made are never
 * checked.
 */
final class RegistrationRedirectsPolicyReconciler extends OwnedClientPolicyReconciler {

    static final String NAME = "mcpidp-registered-clients-redirects";
    static final String EXECUTOR = "secure-redirect-uris-enforcer";
    static final String CONDITION = RegistrationPkcePolicyReconciler.CONDITION;
    private static final ObjectMapper JSON = new ObjectMapper();

    RegistrationRedirectsPolicyReconciler() {
        super(NAME);
    }

    @Override
    Optional<Pair> wanted(TenantSpec spec) {
        return spec.registration().dynamic().filter(dynamic -> !dynamic.homePageHosts().isEmpty()).map(dynamic -> {
            ObjectNode executor = JSON.createObjectNode()
                    .put("allow-ipv4-loopback-address", true)
                    .put("allow-ipv6-loopback-address", true)
                    .put("allow-private-use-uri-scheme", true)
                    .put("allow-http-scheme", true)
                    .put("allow-wildcard-context-path", false)
                    .put("oauth-2-1-compliant", false)
                    .put("allow-open-redirect", false);
            permittedDomains(spec).forEach(executor.putArray("allow-permitted-domains")::add);
            ObjectNode condition = JSON.createObjectNode().put("is-negative-logic", false);
            RegistrationPkcePolicyReconciler.SOURCES.forEach(condition.putArray("update-client-source")::add);
            return pair(NAME, Ownership.descriptionPrefix(spec.realm())
                            + "(self-registered clients never redirect to a home page host)",
                    EXECUTOR, executor, CONDITION, condition);
        });
    }

    /**
     * The executor's host patterns (Java regular expressions matched against the whole host): each trusted host, each
     * Client ID Metadata Document domain ({@code *.example.org}: it and every name under it) and each host named by
     * the metadata document of a client of {@code people.clients}, minus the home page hosts that are not trusted
     * (a metadata-document client can then not redirect there either: fail closed). Spec host names are
     * {@code [a-z0-9.-]} only, so escaping the dots is enough.
     */
    static List<String> permittedDomains(TenantSpec spec) {
        List<String> trusted = spec.registration().dynamic().map(RegistrationSpec.Dynamic::trustedHosts).orElse(List.of());
        List<String> hosts = new ArrayList<>(trusted);
        spec.registration().clientIdMetadataDocuments().ifPresent(cimd -> cimd.allowedDomains().stream()
                .filter(d -> !hosts.contains(d)).forEach(hosts::add));
        PeopleClients.metadataDocuments(spec).stream().flatMap(c -> c.documentHosts().stream())
                .filter(h -> !hosts.contains(h)).forEach(hosts::add);
        spec.registration().dynamic().map(RegistrationSpec.Dynamic::homePageHosts).orElse(List.of()).stream()
                .filter(h -> !trusted.contains(h)).forEach(hosts::remove);
        return hosts.stream().map(host -> host.startsWith("*.")
                ? "(?i)([a-z0-9-]+\\.)*" + host.substring(2).replace(".", "\\.")
                : "(?i)" + host.replace(".", "\\.")).toList();
    }

    @Override
    Map<String, String> fields(ClientProfileRepresentation profile, ClientPolicyRepresentation policy) {
        JsonNode executor = executorConfig(profile, EXECUTOR);
        JsonNode condition = conditionConfig(policy, CONDITION);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("executor", executorIfHeld(profile, EXECUTOR));
        fields.put("permittedDomains", FieldChange.list(strings(executor.path("allow-permitted-domains"))));
        for (String flag : List.of("allow-ipv4-loopback-address", "allow-ipv6-loopback-address",
                "allow-private-use-uri-scheme", "allow-http-scheme", "allow-wildcard-context-path", "oauth-2-1-compliant",
                "allow-open-redirect")) {
            fields.put(flag, Boolean.toString(bool(executor.path(flag))));
        }
        fields.put("condition", conditionIfHeld(policy, CONDITION));
        fields.put("updateClientSource", FieldChange.list(strings(condition.path("update-client-source"))));
        fields.put("negativeLogic", Boolean.toString(bool(condition.path("is-negative-logic"))));
        putPolicyFields(fields, policy);
        return fields;
    }
}
