package org.mcpidp.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown documents: each must name an existing file or directory, and an anchor
 * ({@code file.md#heading}, or {@code #heading} in the same document) must be a heading of that Markdown file, slugged
 * the way GitHub does. Links inside fenced code blocks and to other sites are not checked. Problems name
 * {@code file:line}.
 */
final class DocLinkCheck {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private DocLinkCheck() {
    }

    /**
     * @param root      the repository root every document path is relative to
     * @param documents the documents to check, relative to {@code root}
     * @param read      reads a file relative to {@code root} (the documents and the Markdown files links point into)
     */
    static List<String> check(Path root, List<Path> documents, Function<Path, String> read) {
        List<String> problems = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path document : documents) {
            String[] lines = read.apply(document).split("\n", -1);
            boolean fenced = false;
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher link = LINK.matcher(lines[i]);
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue; // https:, mailto:, ...
                    }
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? document
                            : root.relativize(root.resolve(document).getParent().resolve(file).normalize());
                    String where = document + ":" + (i + 1) + ": link " + target + ": ";
                    if (!Files.exists(root.resolve(resolved))) {
                        problems.add(where + "no such file " + resolved);
                        continue;
                    }
                    if (hash >= 0 && resolved.toString().endsWith(".md")) {
                        String anchor = target.substring(hash + 1);
                        Set<String> headings = anchors.computeIfAbsent(resolved, path -> anchors(read.apply(path)));
                        if (!headings.contains(anchor)) {
                            problems.add(where + "no heading #" + anchor + " in " + resolved);
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** The anchors GitHub makes of a Markdown file's headings (outside code blocks), repeated ones numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, '-', '_' and spaces kept), spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
