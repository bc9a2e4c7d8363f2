package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.RegistrationSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * RFC 7591 anonymous dynamic client registration: the realm's anonymous client registration policies, managed as ONE
 * object because they only make sense together. Keycloak creates them with every realm (shut: no trusted host, no
 * allowed scope), so this tool never creates or deletes them: it sets the few config keys it manages and leaves the
 * rest. Components cannot carry our ownership marker (Keycloak drops unknown config keys), so the realm attribute
 * {@value #MARKER} says that this tool opened them; only then does a spec without {@code registration.dynamic} shut
 * them again (back to Keycloak's defaults). The marker is written before anything is opened and removed after
 * everything is shut, so an interrupted apply never leaves an open realm that the tool does not know about.
 *
 * <p>Keycloak's "Trusted Hosts" policy checks, with {@code client-uris-must-match}, every redirect URI and the root,
 * admin and base URL of a registering client; Keycloak stores {@code client_uri} (a home page) as the base URL, so the
 * MCP Inspector ({@code client_uri: https://github.com/modelcontextprotocol/inspector}) is refused unless github.com is
 * on the list. The policy cannot check redirects alone, and Keycloak refuses it with both checks off. So the list is
 * the spec's {@code trustedHosts} plus its {@code homePageHosts}, and {@link RegistrationRedirectsPolicyReconciler}'s
 * client policy keeps redirects off the home page hosts. (A client policy alone cannot replace Trusted Hosts in
 * Keycloak 26.7.3: {@code secure-client-uris-pattern} refuses every Client ID Metadata Document client, and
 * {@code secure-redirect-uris-enforcer} resolves host names, so any name whose DNS answers 127.0.0.1 would pass as
 * loopback; Trusted Hosts compares names as text.)
 *
 * <p>Part of the same object: whether {@code offline_access} is a realm default optional scope. Keycloak makes it one in
 * every realm, so a client registered without {@code scope} gets it, and one registering with it passes the "Allowed
 * Client Scopes" policy (realm default scopes are allowed): a refresh token that outlives the user's session for any
 * self-registered client. Unless the spec asks for it ({@code offlineAccess}), it is taken out before registration
 * opens (a registration asking for it is then refused, and no registered client can request it) and put back once
 * registration is shut. Clients made before keep what they have.
 */
final class RegistrationPolicyReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    static final String POLICY_TYPE = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";
    static final String MARKER = "mcpidp.registration-policies";
    static final String NAME = "anonymous dynamic registration";

    static final String TRUSTED_HOSTS = "trusted-hosts";
    static final String ALLOWED_SCOPES = "allowed-client-templates";
    static final String MAX_CLIENTS = "max-clients";
    static final String CONSENT = "consent-required";
    static final String OFFLINE_ACCESS = "offline_access";

    @Override
    public ResourceType type() {
        return ResourceType.REGISTRATION_POLICY;
    }

    /** The policies are "ours" once the marker says this tool opened them; then a spec without them shuts them. */
    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        return spec.registration().dynamic().map(dynamic -> Map.of(NAME, desired(spec, dynamic))).orElse(Map.of());
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String name,
                                                    Map<String, String> desired) {
        return opened(spec, live) ? Optional.of(fields(live.registrationPolicies(),
                live.defaultOptionalScopes().contains(OFFLINE_ACCESS))) : Optional.empty();
    }

    /** The tenant's once this tool opened them for it, in a realm it owns. */
    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String name) {
        return Optional.of(Owner.ifOwned(Ownership.ofRealm(live, spec.realm()).isThisTenant()
                && Ownership.ofSetting(live, MARKER, spec.realm()).isThisTenant(), spec.realm()));
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return opened(spec, live) ? Stream.of(NAME) : Stream.empty();
    }

    private boolean opened(TenantSpec spec, LiveRealm live) {
        return owner(spec, live, NAME).orElseThrow().isThisTenant();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        RealmRepresentation live = gateway.realm(realm).orElseThrow();
        List<ComponentRepresentation> policies = gateway.policies().registrationPolicies(realm);
        if (change instanceof Change.Delete) {
            for (Map.Entry<String, Map<String, List<String>>> entry : shut().entrySet()) {
                configure(gateway, realm, live.getId(), policies, entry.getKey(), entry.getValue(), List.of(
                        "allowed-client-scopes", "trusted-hosts"));
            }
            offlineAccessDefault(context, true);
            Ownership.markSetting(context, MARKER, false);
            return;
        }
        if (!Ownership.ofSetting(live.getAttributes(), MARKER, spec.realm()).isThisTenant()) {
            Ownership.markSetting(context, MARKER, true);
        }
        // Before anything opens: a client registering in between must not get offline_access.
        offlineAccessDefault(context, spec.registration().dynamic().orElseThrow().offlineAccess());
        for (Map.Entry<String, Map<String, List<String>>> entry : open(spec, spec.registration().dynamic().orElseThrow()).entrySet()) {
            configure(gateway, realm, live.getId(), policies, entry.getKey(), entry.getValue(), List.of());
        }
    }

    /** The managed config per policy provider while registration is open. */
    static Map<String, Map<String, List<String>>> open(TenantSpec spec, RegistrationSpec.Dynamic dynamic) {
        Map<String, Map<String, List<String>>> config = new LinkedHashMap<>();
        config.put(TRUSTED_HOSTS, Map.of(
                "trusted-hosts", listedHosts(dynamic),
                // The registering desktop app runs anywhere; what it registers must be on the hosts.
                "host-sending-registration-request-must-match", List.of("false"),
                "client-uris-must-match", List.of("true")));
        config.put(ALLOWED_SCOPES, Map.of(
                "allowed-client-scopes", spec.scopes().stream().map(ScopeSpec::name).toList(),
                "allow-default-scopes", List.of("true")));
        config.put(MAX_CLIENTS, Map.of("max-clients", List.of(Integer.toString(dynamic.maxClients()))));
        config.put(CONSENT, Map.of());
        return config;
    }

    /** What Trusted Hosts lets a registering client's URIs be on: the trusted hosts, then the home page hosts. */
    static List<String> listedHosts(RegistrationSpec.Dynamic dynamic) {
        List<String> hosts = new ArrayList<>(dynamic.trustedHosts());
        dynamic.homePageHosts().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        return hosts;
    }

    /** Keycloak 26.7.3's defaults for a new realm (read from one): anonymous registration shut. */
    private static Map<String, Map<String, List<String>>> shut() {
        Map<String, Map<String, List<String>>> config = new LinkedHashMap<>();
        config.put(TRUSTED_HOSTS, Map.of(
                "host-sending-registration-request-must-match", List.of("true"),
                "client-uris-must-match", List.of("true")));
        config.put(ALLOWED_SCOPES, Map.of("allow-default-scopes", List.of("true")));
        config.put(MAX_CLIENTS, Map.of("max-clients", List.of(Integer.toString(RegistrationSpec.Dynamic.DEFAULT_MAX_CLIENTS))));
        return config;
    }

    /** Sets {@code wanted} (and drops {@code remove}) on every anonymous policy of the provider; adds one if none. */
    private static void configure(KeycloakGateway gateway, String realm, String realmId, List<ComponentRepresentation> policies,
                                  String provider, Map<String, List<String>> wanted, List<String> remove) {
        List<ComponentRepresentation> matching = anonymous(policies, provider);
        if (matching.isEmpty()) {
            ComponentRepresentation rep = new ComponentRepresentation();
            rep.setName(provider);
            rep.setProviderId(provider);
            rep.setProviderType(POLICY_TYPE);
            rep.setSubType("anonymous");
            rep.setParentId(realmId);
            MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
            wanted.forEach((k, v) -> config.put(k, new ArrayList<>(v)));
            rep.setConfig(config);
            gateway.policies().addComponent(realm, rep);
            return;
        }
        for (ComponentRepresentation rep : matching) {
            MultivaluedHashMap<String, String> config = rep.getConfig() == null ? new MultivaluedHashMap<>()
                    : new MultivaluedHashMap<>(rep.getConfig());
            MultivaluedHashMap<String, String> before = new MultivaluedHashMap<>(config);
            wanted.forEach((k, v) -> config.put(k, new ArrayList<>(v)));
            // Keycloak's component update keeps config keys that are not sent; an empty list is what removes one.
            remove.stream().filter(k -> !wanted.containsKey(k) && config.get(k) != null && !config.get(k).isEmpty())
                    .forEach(k -> config.put(k, new ArrayList<>()));
            if (!config.equals(before)) {
                rep.setConfig(config);
                gateway.policies().updateComponent(realm, rep);
            }
        }
    }

    /** Makes {@code offline_access} a realm default optional scope, or not; writes nothing when it already is (not). */
    private static void offlineAccessDefault(ApplyContext context, boolean wanted) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        boolean is = gateway.defaultOptionalScopes(realm).stream().anyMatch(s -> OFFLINE_ACCESS.equals(s.getName()));
        if (is == wanted) {
            return;
        }
        // A realm without the built-in scope (an import that left it out) has nothing to give or withhold.
        gateway.clientScopes(realm).stream().filter(s -> OFFLINE_ACCESS.equals(s.getName())).findFirst().ifPresent(scope -> {
            if (wanted) {
                gateway.addDefaultOptionalScope(realm, scope.getId());
            } else {
                gateway.removeDefaultOptionalScope(realm, scope.getId());
            }
        });
    }

    private static List<ComponentRepresentation> anonymous(List<ComponentRepresentation> policies, String provider) {
        return policies.stream().filter(p -> provider.equals(p.getProviderId()) && "anonymous".equals(p.getSubType())).toList();
    }

    static Map<String, String> desired(TenantSpec spec, RegistrationSpec.Dynamic dynamic) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("trustedHosts", FieldChange.list(listedHosts(dynamic)));
        desired.put("hostSendingRequestMustMatch", "false");
        desired.put("clientUrisMustMatch", "true");
        desired.put("allowedClientScopes", FieldChange.list(spec.scopes().stream().map(ScopeSpec::name).toList()));
        desired.put("allowDefaultScopes", "true");
        desired.put("maxClients", Integer.toString(dynamic.maxClients()));
        desired.put("consentRequired", "true");
        desired.put("offlineAccess", Boolean.toString(dynamic.offlineAccess()));
        return desired;
    }

    private static Map<String, String> fields(List<ComponentRepresentation> policies, boolean offlineAccess) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("trustedHosts", FieldChange.list(values(policies, TRUSTED_HOSTS, "trusted-hosts")));
        fields.put("hostSendingRequestMustMatch", FieldChange.list(values(policies, TRUSTED_HOSTS,
                "host-sending-registration-request-must-match")));
        fields.put("clientUrisMustMatch", FieldChange.list(values(policies, TRUSTED_HOSTS, "client-uris-must-match")));
        fields.put("allowedClientScopes", FieldChange.list(values(policies, ALLOWED_SCOPES, "allowed-client-scopes")));
        fields.put("allowDefaultScopes", FieldChange.list(values(policies, ALLOWED_SCOPES, "allow-default-scopes")));
        fields.put("maxClients", FieldChange.list(values(policies, MAX_CLIENTS, "max-clients")));
        fields.put("consentRequired", Boolean.toString(!anonymous(policies, CONSENT).isEmpty()));
        fields.put("offlineAccess", Boolean.toString(offlineAccess));
        return fields;
    }

    /** Every value of one config key over the provider's anonymous policies (they should agree; if not, it shows). */
    private static List<String> values(List<ComponentRepresentation> policies, String provider, String key) {
        List<String> values = new ArrayList<>();
        for (ComponentRepresentation rep : anonymous(policies, provider)) {
            if (rep.getConfig() != null && rep.getConfig().get(key) != null) {
                values.addAll(rep.getConfig().get(key));
            }
        }
        return values;
    }
}
