package org.mcpidp.provisioning.keycloak;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;

/**
 * Demo users. Ownership lives in the realm's ledger attribute (see {@link Ownership}); the ledger entry is written
 * before the user is created and removed after the user is deleted, so an interrupted apply never leaves an owned
 * user that the ledger forgot. The password is set on creation only: Keycloak cannot show it back to compare.
 */
final class UserReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    @Override
    public ResourceType type() {
        return ResourceType.USER;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveRealm live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        spec.users().forEach(user -> wanted.put(user.username(), desired(user)));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveRealm live, String username,
                                                    Map<String, String> desired) {
        return Optional.ofNullable(live.users().get(username)).map(current -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("email", Fields.text(current.getEmail()));
            fields.put("firstName", Fields.text(current.getFirstName()));
            fields.put("lastName", Fields.text(current.getLastName()));
            fields.put("enabled", Fields.bool(current.isEnabled()));
            fields.put("emailVerified", Fields.bool(current.isEmailVerified()));
            return fields;
        });
    }

    @Override
    protected Optional<Owner> owner(TenantSpec spec, LiveRealm live, String username) {
        return Optional.of(Ownership.ofUser(live, username, spec.realm()));
    }

    /** The password is never compared (Keycloak cannot show it back); a create says where it comes from. */
    @Override
    protected List<FieldChange> created(TenantSpec spec, String username, Map<String, String> desired) {
        UserSpec user = spec.user(username).orElseThrow();
        List<FieldChange> fields = new ArrayList<>(FieldChange.created(desired));
        fields.add(new FieldChange("password", "", user.password().value().isPresent()
                ? "from $" + user.password().envName() : "generated into secrets as " + user.password().envName()));
        return fields;
    }

    /**
     * A ledger entry whose user is gone (deleted by hand, or an apply stopped between the two writes) is cleaned up
     * by the same delete change.
     */
    @Override
    protected Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return live.ownedUsers().stream();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String realm = context.realm();
        KeycloakGateway gateway = context.gateway();
        switch (change) {
            case Change.Create c -> {
                UserSpec user = spec.user(c.name()).orElseThrow();
                Ownership.recordUser(context, user.username(), true);
                UserRepresentation rep = rep(user, new UserRepresentation());
                String password = user.password().value().orElseGet(() -> {
                    String generated = generate();
                    context.secrets().put(user.password().envName(), generated);
                    return generated;
                });
                CredentialRepresentation credential = new CredentialRepresentation();
                credential.setType(CredentialRepresentation.PASSWORD);
                credential.setValue(password);
                credential.setTemporary(false);
                rep.setCredentials(List.of(credential));
                gateway.createUser(realm, rep);
            }
            case Change.Update u -> {
                UserSpec user = spec.user(u.name()).orElseThrow();
                if (u.fields().stream().anyMatch(f -> !f.field().equals(Owner.FIELD))) {
                    UserRepresentation current = gateway.user(realm, user.username()).orElseThrow();
                    gateway.updateUser(realm, current.getId(), rep(user, gateway.userById(realm, current.getId())));
                }
                if (FieldChange.changed(u.fields(), Owner.FIELD)) {
                    Ownership.recordUser(context, user.username(), true);
                }
            }
            case Change.Delete d -> {
                gateway.user(realm, d.name()).ifPresent(user -> gateway.deleteUser(realm, user.getId(), d.name()));
                Ownership.recordUser(context, d.name(), false);
            }
        }
    }

    private static Map<String, String> desired(UserSpec user) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("email", user.email());
        desired.put("firstName", user.firstName());
        desired.put("lastName", user.lastName());
        desired.put("enabled", "true");
        desired.put("emailVerified", Boolean.toString(!user.email().isEmpty()));
        return desired;
    }

    private static UserRepresentation rep(UserSpec user, UserRepresentation rep) {
        rep.setUsername(user.username());
        rep.setEmail(user.email().isEmpty() ? null : user.email());
        rep.setFirstName(user.firstName());
        rep.setLastName(user.lastName());
        rep.setEnabled(true);
        rep.setEmailVerified(!user.email().isEmpty());
        return rep;
    }

    private static String generate() {
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
