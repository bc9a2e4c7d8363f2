package org.mcpidp.provisioning.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.NotOwnedException;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The shared engine and keyed diff without an IdP: the "live" side is a map per type (key -> managed fields, plus
 * the ownership marker of each key that has one), the "writes" are a log. The real targets are covered by their
 * scenario tests.
 */
class PlanEngineTest {

    static final String REALM = "mcp-demo";

    /** Live state: per type, key -> fields; and key -> the realm its ownership marker names (none: no marker). */
    record Live(Map<ResourceType, Map<String, Map<String, String>>> objects, Map<String, String> markers) {

        /** Objects with no marker but those of {@code owned}, which are this tenant's. */
        static Live owning(Map<ResourceType, Map<String, Map<String, String>>> objects, String... owned) {
            Map<String, String> markers = new LinkedHashMap<>();
            for (String key : owned) {
                markers.put(key, REALM);
            }
            return new Live(objects, markers);
        }
    }

    /** Whether a type's objects carry an ownership marker, and whether taking one over needs adoption. */
    enum Marking { NONE, MARKED, MARKED_ADOPT }

    /** Wants {@code wanted} of one type; records every apply into the context log. */
    static final class MapReconciler extends KeyedReconciler<Live, List<String>> {
        private final ResourceType type;
        private final Map<String, Map<String, String>> wanted;
        private final Marking marking;

        MapReconciler(ResourceType type, Map<String, Map<String, String>> wanted) {
            this(type, wanted, Marking.NONE);
        }

        MapReconciler(ResourceType type, Map<String, Map<String, String>> wanted, Marking marking) {
            this.type = type;
            this.wanted = wanted;
            this.marking = marking;
        }

        @Override
        protected Optional<Owner> owner(TenantSpec spec, Live live, String key) {
            return marking == Marking.NONE ? Optional.empty() : Optional.of(Owner.of(live.markers().get(key), spec.realm()));
        }

        @Override
        protected boolean takeoverNeedsAdoption() {
            return marking == Marking.MARKED_ADOPT;
        }

        @Override
        public ResourceType type() {
            return type;
        }

        @Override
        protected Map<String, Map<String, String>> desired(TenantSpec spec, Live live) {
            return wanted;
        }

        @Override
        protected Optional<Map<String, String>> current(TenantSpec spec, Live live, String key,
                                                        Map<String, String> desired) {
            return Optional.ofNullable(live.objects().getOrDefault(type, Map.of()).get(key));
        }

        @Override
        protected Stream<String> owned(TenantSpec spec, Live live) {
            return live.objects().getOrDefault(type, Map.of()).keySet().stream()
                    .filter(key -> REALM.equals(live.markers().get(key)));
        }

        @Override
        public void apply(Change change, TenantSpec spec, List<String> log) {
            log.add(change.getClass().getSimpleName().toLowerCase() + " " + type.label() + " " + change.name());
        }
    }

    static final class Engine extends PlanEngine<Live, List<String>> {
        Engine(Live live, List<String> log, List<MapReconciler> reconcilers) {
            super(new Target<>() {
                @Override
                public Live read(TenantSpec tenant) {
                    return live;
                }

                @Override
                public List<String> context(TenantSpec tenant, SecretSink secrets) {
                    return log;
                }

                @Override
                public long writes() {
                    return log.size();
                }

                @Override
                public void afterApply(TenantSpec tenant, List<String> context) {
                    context.add("after apply");
                }

                @Override
                public void close() {
                }
            }, reconcilers);
        }
    }

    private static TenantSpec tenant() throws Exception {
        return new SpecLoader(Map.of()).load(Path.of("../realm-exports/demo-tenant.yaml")).tenants().get(0);
    }

    private static Map<String, String> fields(String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        return fields;
    }

    /** Key -> fields with only a description, in order: key, description, key, description, ... */
    private static Map<String, Map<String, String>> described(String... keyDescriptions) {
        Map<String, Map<String, String>> objects = new LinkedHashMap<>();
        fields(keyDescriptions).forEach((key, description) -> objects.put(key, fields("description", description)));
        return objects;
    }

    @Test
    void whenKeysAreMissingDifferentEqualOrOrphanedThenCreateUpdateUnchangedAndDeleteOfOwnedOnly() throws Exception {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        wanted.put("new", fields("description", "fresh", "enabled", "false"));
        wanted.put("changed", fields("description", "after"));
        wanted.put("same", fields("description", "same"));
        Live live = Live.owning(Map.of(ResourceType.ROLE, Map.of(
                "changed", fields("description", "before"),
                "same", fields("description", "same"),
                "orphan", fields("description", "ours, no longer wanted"),
                "foreign", fields("description", "made by hand"))), "changed", "orphan");

        Plan plan = new Engine(live, new ArrayList<>(), List.of(new MapReconciler(ResourceType.ROLE, wanted)))
                .plan(tenant());

        assertThat(plan.changes()).containsExactly(
                new Change.Create(ResourceType.ROLE, "new", List.of(new FieldChange("description", "", "fresh"))),
                new Change.Update(ResourceType.ROLE, "changed", List.of(new FieldChange("description", "before", "after"))),
                new Change.Delete(ResourceType.ROLE, "orphan"));
        assertThat(plan.unchanged()).isEqualTo(1);
    }

    @Test
    void whenSeveralReconcilersThenUpsertsRunInTheirOrderAndDeletesInReverse() throws Exception {
        Live live = Live.owning(Map.of(
                ResourceType.ROLE, Map.of("old-role", fields()),
                ResourceType.CLIENT, Map.of("old-client", fields())), "old-role", "old-client");
        List<String> log = new ArrayList<>();
        Engine engine = new Engine(live, log, List.of(
                new MapReconciler(ResourceType.ROLE, Map.of("role", fields("description", "r"))),
                new MapReconciler(ResourceType.CLIENT, Map.of("client", fields("description", "c")))));
        List<String> progress = new ArrayList<>();

        ApplyReport report = engine.apply(engine.plan(tenant()), SecretSink.discard(),
                (index, total, change) -> progress.add(index + "/" + total));

        assertThat(log).containsExactly("create role role", "create client client", "delete client old-client",
                "delete role old-role", "after apply");
        assertThat(progress).containsExactly("1/4", "2/4", "3/4", "4/4");
        assertThat(report.applied()).hasSize(4);
        assertThat(report.writes()).isEqualTo(5);
        assertThat(report.realm()).isEqualTo("mcp-demo");
    }

    @Test
    void whenAWantedKeyExistsButIsNotOwnedThenPlanShowsATakeoverThatApplyRefusesUnlessThePlanAdopts() throws Exception {
        Map<String, Map<String, String>> wanted = described("taken", "spec", "equal", "same", "ours", "spec");
        Live live = Live.owning(Map.of(ResourceType.CLIENT, Map.of(
                "taken", fields("description", "by hand"),
                "equal", fields("description", "same"),
                "ours", fields("description", "spec"))), "ours");
        List<String> log = new ArrayList<>();
        Engine engine = new Engine(live, log, List.of(new MapReconciler(ResourceType.CLIENT, wanted, Marking.MARKED_ADOPT)));

        Plan plan = engine.plan(tenant());

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.CLIENT, "taken", List.of(new FieldChange("description", "by hand", "spec"),
                        new FieldChange(Owner.FIELD, "", REALM)), true),
                new Change.Update(ResourceType.CLIENT, "equal", List.of(new FieldChange(Owner.FIELD, "", REALM)), true));
        assertThat(plan.unchanged()).isEqualTo(1);
        assertThat(plan.refused()).hasSize(2);
        assertThatThrownBy(() -> engine.apply(plan, SecretSink.discard(), (i, t, c) -> { }))
                .isInstanceOf(NotOwnedException.class)
                .hasMessageContaining("realm mcp-demo: refusing to take over client 'taken', client 'equal'")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("--adopt");
        assertThat(log).isEmpty();

        engine.apply(plan.adopting(), SecretSink.discard(), (i, t, c) -> { });

        assertThat(log).containsExactly("update client taken", "update client equal", "after apply");
    }

    @Test
    void whenATypeCarriesAMarkerThenPlansShowItOnCreatesAndUpdatesAndNotOnUnchangedObjects() throws Exception {
        Map<String, Map<String, String>> wanted = described("new", "fresh", "changed", "after", "same", "same");
        Live live = Live.owning(Map.of(ResourceType.CLIENT_SCOPE, Map.of(
                "changed", fields("description", "before"),
                "same", fields("description", "same"))), "changed", "same");

        Plan plan = new Engine(live, new ArrayList<>(),
                List.of(new MapReconciler(ResourceType.CLIENT_SCOPE, wanted, Marking.MARKED))).plan(tenant());

        assertThat(plan.changes()).containsExactly(
                new Change.Create(ResourceType.CLIENT_SCOPE, "new",
                        List.of(new FieldChange("description", "", "fresh"), new FieldChange(Owner.FIELD, "", REALM))),
                new Change.Update(ResourceType.CLIENT_SCOPE, "changed", List.of(new FieldChange("description", "before", "after"))));
        assertThat(plan.unchanged()).isEqualTo(1);
    }

    @Test
    void whenAnObjectIsMarkedForAnotherTenantThenThePlanNamesThatTenantAndNeverDeletesIt() throws Exception {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        wanted.put("shared-name", fields("description", "spec"));
        Map<String, String> markers = Map.of("shared-name", "other-tenant", "theirs", "other-tenant", "mine", REALM);
        Live live = new Live(Map.of(ResourceType.CLIENT, Map.of(
                "shared-name", fields("description", "spec"),
                "theirs", fields("description", "not in this spec"),
                "mine", fields("description", "no longer in the spec"))), markers);

        Plan plan = new Engine(live, new ArrayList<>(),
                List.of(new MapReconciler(ResourceType.CLIENT, wanted, Marking.MARKED_ADOPT))).plan(tenant());

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.CLIENT, "shared-name",
                        List.of(new FieldChange(Owner.FIELD, "other-tenant", REALM)), true),
                new Change.Delete(ResourceType.CLIENT, "mine"));
        assertThat(plan.refused()).extracting(Change::name).containsExactly("shared-name");
    }

    @Test
    void whenATypeTakesOverWithoutAdoptionThenAnUnmarkedObjectIsAPlainUpdateThatMarksIt() throws Exception {
        Live live = Live.owning(Map.of(ResourceType.ROLE, Map.of("reader", fields("description", "made by hand"))));

        Plan plan = new Engine(live, new ArrayList<>(), List.of(new MapReconciler(ResourceType.ROLE,
                Map.of("reader", fields("description", "made by hand")), Marking.MARKED))).plan(tenant());

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.ROLE, "reader", List.of(new FieldChange(Owner.FIELD, "", REALM))));
        assertThat(plan.refused()).isEmpty();
    }

    @Test
    void whenNoReconcilerHandlesAChangeThenApplyRefusesBeforeAnyWrite() throws Exception {
        List<String> log = new ArrayList<>();
        Engine engine = new Engine(new Live(Map.of(), Map.of()), log,
                List.of(new MapReconciler(ResourceType.ROLE, Map.of())));
        Plan foreign = new Plan(tenant(), List.of(new Change.Delete(ResourceType.APPLICATION, "x")), 0);

        assertThatThrownBy(() -> engine.apply(foreign, SecretSink.discard(), (i, t, c) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no reconciler");
        assertThat(log).isEmpty();
    }
}
