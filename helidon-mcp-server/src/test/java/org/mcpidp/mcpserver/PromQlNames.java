package org.mcpidp.mcpserver;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, simply but correctly for what dashboards write: string literals,
 * label matchers ({@code {...}}), ranges and subqueries ({@code [...]}) and grouping clauses
 * ({@code by (...)}, {@code without (...)}, {@code on (...)}, {@code ignoring (...)}, {@code group_left (...)},
 * {@code group_right (...)}) are removed first; of the identifiers left, those called as functions, the operators and
 * keywords, and numbers are not metric names; Grafana variables ({@code $x}, {@code ${x}}) are dropped.
 */
final class PromQlNames {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlNames() {
    }

    static Set<String> of(String expression) {
        String text = expression.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\$\\{[^}]*}", " ")
                .replaceAll("\\$[a-zA-Z_]+", " ");
        text = removeBracketed(text, '{', '}');
        text = removeBracketed(text, '[', ']');
        text = text.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            boolean call = after < text.length() && text.charAt(after) == '(';
            boolean partOfNumber = m.start() > 0 && (Character.isDigit(text.charAt(m.start() - 1))
                    || text.charAt(m.start() - 1) == '.');
            if (!call && !partOfNumber && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    private static String removeBracketed(String text, char open, char close) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : text.toCharArray()) {
            if (c == open) {
                depth++;
                out.append(' ');
            } else if (c == close && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
