package org.mcpidp.benchmarks;

import java.util.Locale;
import java.util.Map;

/** The stage table of one protocol era, in Markdown: per stage and mode, CPU microseconds and bytes per request. */
final class StageTable {

    /** One mode's measured window and its profile. */
    record Column(JfrStages.Profile profile, ProfileRun.Measured measured) {
    }

    private StageTable() {
    }

    static String markdown(EraLoad.Era era, Map<String, Column> columns) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(era.label()).append(" (").append(era.version).append(")\n\n");
        out.append("| stage |");
        columns.keySet().forEach(mode -> out.append(' ').append(mode).append(" CPU us |"));
        columns.keySet().forEach(mode -> out.append(' ').append(mode).append(" alloc B |"));
        out.append("\n|---|");
        out.append("---:|".repeat(columns.size() * 2)).append('\n');
        for (JfrStages.Stage stage : JfrStages.Stage.values()) {
            out.append("| ").append(stage.label).append(" |");
            columns.values().forEach(column -> out.append(String.format(Locale.ROOT, " %.1f |",
                    cpu(column).get(stage))));
            columns.values().forEach(column -> out.append(String.format(Locale.ROOT, " %,.0f |",
                    column.profile().bytesPerRequest(column.measured().load().requests()).get(stage))));
            out.append('\n');
        }
        out.append("| **total** |");
        columns.values().forEach(column -> out.append(String.format(Locale.ROOT, " **%.1f** |",
                column.measured().cpuMicrosPerRequest())));
        columns.values().forEach(column -> out.append(String.format(Locale.ROOT, " **%,.0f** |",
                column.profile().bytesPerRequest(column.measured().load().requests()).values().stream()
                        .mapToDouble(Double::doubleValue).sum())));
        out.append("\n| req/s (with JFR) |");
        columns.values().forEach(column -> out.append(String.format(Locale.ROOT, " %.0f |",
                column.measured().load().rps())));
        columns.values().forEach(column -> out.append(" |"));
        out.append("\n| CPU samples |");
        columns.values().forEach(column -> out.append(' ').append(column.profile().totalSamples()).append(" |"));
        columns.values().forEach(column -> out.append(" |"));
        out.append('\n');
        return out.toString();
    }

    private static Map<JfrStages.Stage, Double> cpu(Column column) {
        return column.profile().cpuMicrosPerRequest(column.measured().serverCpu(),
                column.measured().load().requests());
    }
}
