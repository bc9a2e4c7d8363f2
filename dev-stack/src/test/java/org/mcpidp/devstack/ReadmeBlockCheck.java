package org.mcpidp.devstack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every shell block of the documentation (README.md, docs/*.md, the modules' READMEs) is either run
 * verbatim by something (a {@code <!-- name -->} marker that one of the runners really references) or says why not
 * ({@code <!-- not-run-here: reason -->}), and that a marker names one block across all the files. A block without a
 * language whose lines look like commands counts as a shell block too, so that leaving out {@code bash} is no way
 * around the check. Problems name {@code file:line}.
 */
final class ReadmeBlockCheck {

    /** One shell block: its file, the line it starts on, its marker, and who runs it (or why nobody does). */
    record Block(String file, int line, String marker, String checkedBy) {
    }

    record Result(List<Block> blocks, List<String> problems) {
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern RUN_MARKER = Pattern.compile("^<!-- ([a-z0-9][a-z0-9-]*) -->$");
    private static final Pattern NOT_RUN = Pattern.compile("^<!-- not-run-here:(.*)-->$");
    private static final Set<String> SHELL = Set.of("bash", "sh", "shell", "console");
    /** Lines a user would paste into a shell: the kit's scripts and launchers, and the usual commands. */
    private static final Pattern COMMAND = Pattern.compile("^(\\./|bin/|benchmarks/|examples/|export |set -a|java |"
            + "curl |docker|cp |npm |npx |node |az |[A-Z][A-Z0-9_]*=\\S)");

    private ReadmeBlockCheck() {
    }

    /** One file named README.md. */
    static Result check(String readme, Map<String, String> runners) {
        return check(Map.of("README.md", readme), runners);
    }

    /**
     * @param documents file name -> text of each documentation file, in the order problems are reported
     * @param runners   file name -> text of each file that runs documented blocks; a marker counts as run when that
     *                  text names it as {@code "name"} (Java), {@code run_block name} / {@code readme_block name}
     *                  (shell) or {@code <!-- name -->} (a script that reads the block after the marker)
     */
    static Result check(Map<String, String> documents, Map<String, String> runners) {
        List<Block> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        documents.forEach((file, text) -> check(file, text, runners, seen, blocks, problems));
        return new Result(blocks, problems);
    }

    private static void check(String file, String text, Map<String, String> runners, Set<String> seen,
                              List<Block> blocks, List<String> problems) {
        String[] lines = text.split("\n", -1);
        String lastText = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i].strip());
            if (!fence.matches() || !lines[i].startsWith("```")) {
                if (!lines[i].isBlank()) {
                    lastText = lines[i].strip();
                }
                continue;
            }
            int start = i + 1;
            String language = fence.group(1);
            int end = i + 1;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            boolean shell = SHELL.contains(language);
            if (language.isEmpty() && looksLikeCommands(lines, i + 1, end)) {
                problems.add(file + ":" + start + ": a block of shell commands without a language: label it ```bash "
                        + "and mark it (<!-- name --> run by a test, or <!-- not-run-here: reason -->)");
            } else if (shell) {
                markerOf(file, lastText, start, runners, seen, problems).ifPresent(blocks::add);
            }
            i = end;
            lastText = null;
        }
    }

    private static Optional<Block> markerOf(String file, String previous, int line, Map<String, String> runners,
                                            Set<String> seen, List<String> problems) {
        String where = file + ":" + line + ": ";
        if (previous != null) {
            Matcher notRun = NOT_RUN.matcher(previous);
            if (notRun.matches()) {
                String reason = notRun.group(1).strip();
                if (reason.isEmpty()) {
                    problems.add(where + "<!-- not-run-here: --> needs a reason");
                    return Optional.empty();
                }
                return Optional.of(new Block(file, line, "not-run-here", reason));
            }
            Matcher run = RUN_MARKER.matcher(previous);
            if (run.matches()) {
                String name = run.group(1);
                if (!seen.add(name)) {
                    problems.add(where + "marker <!-- " + name + " --> is used twice (markers are unique across "
                            + "README.md, docs/*.md and the modules' READMEs)");
                    return Optional.empty();
                }
                Optional<String> runner = runners.entrySet().stream()
                        .filter(entry -> references(entry.getValue(), name))
                        .map(Map.Entry::getKey).findFirst();
                if (runner.isEmpty()) {
                    problems.add(where + "marker <!-- " + name + " --> is run by nothing (none of "
                            + runners.keySet() + " names it)");
                    return Optional.empty();
                }
                return Optional.of(new Block(file, line, name, runner.get()));
            }
        }
        problems.add(where + "a shell block without a marker: precede it with <!-- name --> (a block some test runs "
                + "verbatim) or <!-- not-run-here: reason -->");
        return Optional.empty();
    }

    private static boolean references(String runner, String name) {
        return runner.contains("\"" + name + "\"") || runner.contains("run_block " + name)
                || runner.contains("readme_block " + name) || runner.contains("<!-- " + name + " -->");
    }

    private static boolean looksLikeCommands(String[] lines, int from, int to) {
        for (int i = from; i < to; i++) {
            if (COMMAND.matcher(lines[i].strip()).find()) {
                return true;
            }
        }
        return false;
    }
}
