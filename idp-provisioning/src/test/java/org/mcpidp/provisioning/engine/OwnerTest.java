package org.mcpidp.provisioning.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnerTest {

    @Test
    void whenTheMarkerNamesTheTenantThenItIsThisTenantsAndThePlanFieldNamesIt() {
        Owner owner = Owner.of("mcp-demo", "mcp-demo");

        assertThat(owner).isEqualTo(new Owner.This("mcp-demo"));
        assertThat(owner.isThisTenant()).isTrue();
        assertThat(owner.field()).isEqualTo("mcp-demo");
    }

    @Test
    void whenTheMarkerNamesAnotherTenantThenItIsTheirsAndThePlanFieldNamesThem() {
        Owner owner = Owner.of("other", "mcp-demo");

        assertThat(owner).isEqualTo(new Owner.Other("other"));
        assertThat(owner.isThisTenant()).isFalse();
        assertThat(owner.field()).isEqualTo("other");
    }

    @Test
    void whenThereIsNoMarkerThenItIsNobodysAndThePlanFieldIsEmpty() {
        assertThat(Owner.of(null, "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Owner.of("", "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(Owner.NOBODY.isThisTenant()).isFalse();
        assertThat(Owner.NOBODY.field()).isEmpty();
    }

    @Test
    void whenOnlyTheTenantsMarkerCountsThenItIsTheTenantsOrNobodys() {
        assertThat(Owner.ifOwned(true, "mcp-demo")).isEqualTo(new Owner.This("mcp-demo"));
        assertThat(Owner.ifOwned(false, "mcp-demo")).isEqualTo(Owner.NOBODY);
    }
}
