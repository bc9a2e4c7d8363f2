package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.engine.Owner;

/** The Keycloak marker's forms, read back as they are written (the scenario tests run them against Keycloak). */
class OwnershipTest {

    @Test
    void whenAnObjectIsMarkedThenItIsTheTenantsAndOtherAttributesStay() {
        Map<String, String> attributes = new HashMap<>(Map.of("pkce.code.challenge.method", "S256"));

        Ownership.mark(attributes, "mcp-demo");

        assertThat(attributes).containsEntry("pkce.code.challenge.method", "S256").containsEntry("mcpidp.managed-by", "mcp-demo");
        assertThat(Ownership.of(attributes, "mcp-demo")).isEqualTo(new Owner.This("mcp-demo"));
        assertThat(Ownership.owned(attributes, "mcp-demo")).isTrue();
    }

    @Test
    void whenAnObjectIsMarkedForAnotherTenantOrNotAtAllThenItIsNotTheTenants() {
        assertThat(Ownership.of(Ownership.marker("other"), "mcp-demo")).isEqualTo(new Owner.Other("other"));
        assertThat(Ownership.of(Map.of(), "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Ownership.of(null, "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Ownership.owned(Ownership.marker("other"), "mcp-demo")).isFalse();
    }

    @Test
    void whenARoleCarriesTheListMarkerThenItIsTheTenantsAndAnotherTenantsCountsAsNone() {
        assertThat(Ownership.ofRole(Ownership.roleMarker("mcp-demo"), "mcp-demo")).isEqualTo(new Owner.This("mcp-demo"));
        assertThat(Ownership.ofRole(Map.of("mcpidp.managed-by", List.of("other")), "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Ownership.ownedRole(null, "mcp-demo")).isFalse();
    }

    @Test
    void whenTheLedgerListsAUserThenTheUserIsTheTenants() {
        Set<String> ledger = Ownership.ledger(Map.of("mcpidp.owned-users", Ownership.ledgerValue(Set.of("bob", "alice"))));

        assertThat(ledger).containsExactly("alice", "bob");
        assertThat(Ownership.ofUser(ledger, "alice", "mcp-demo")).isEqualTo(new Owner.This("mcp-demo"));
        assertThat(Ownership.ofUser(ledger, "carol", "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Ownership.ledger(null)).isEmpty();
    }

    @Test
    void whenAPolicyDescriptionStartsWithTheTenantsPrefixThenItIsTheTenants() {
        String description = Ownership.descriptionPrefix("mcp-demo") + "(token exchange never widens a caller's scopes)";

        assertThat(Ownership.ownedDescription(description, "mcp-demo")).isTrue();
        assertThat(Ownership.ownedDescription(description, "mcp")).isFalse();
        assertThat(Ownership.ownedDescription("made by hand", "mcp-demo")).isFalse();
        assertThat(Ownership.ownedDescription(null, "mcp-demo")).isFalse();
    }

    @Test
    void whenARealmSettingsMarkerNamesTheTenantThenTheSettingIsTheTenants() {
        Map<String, String> realm = Map.of(PeopleSessionReconciler.MARKER, "mcp-demo");

        assertThat(Ownership.ofSetting(realm, PeopleSessionReconciler.MARKER, "mcp-demo").isThisTenant()).isTrue();
        assertThat(Ownership.ofSetting(realm, RegistrationPolicyReconciler.MARKER, "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Ownership.ofSetting((Map<String, String>) null, PeopleSessionReconciler.MARKER, "mcp-demo")).isEqualTo(Owner.NOBODY);
    }
}
