package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcpidp.http.WebUrls;

/**
 * What every binder reads a located tree with: scalars (with {@code ${NAME}} substitution), mappings, lists, required
 * and optional fields, references, URLs, secrets, host names, durations; and where errors and warnings are collected,
 * each with file, line, column and field path. One per spec file: secret variable names must be unique across it.
 */
final class SpecReader {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern SECRET_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern WILDCARD_HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd]?)");

    private final String file;
    private final Map<String, String> env;
    private final List<SpecError> errors;
    private final List<SpecError> warnings;
    /** Secret variable name -> where it was first used; two secrets sharing one variable would overwrite each other. */
    private final Map<String, String> secretNames = new HashMap<>();

    SpecReader(String file, Map<String, String> env, List<SpecError> errors, List<SpecError> warnings) {
        this.file = file;
        this.env = env;
        this.errors = errors;
        this.warnings = warnings;
    }

    int errorCount() {
        return errors.size();
    }

    void warn(Node at, String path, String message) {
        warnings.add(new SpecError(file, at.line(), at.column(), path, message));
    }

    /** Host names (or, with {@code wildcard}, Keycloak's {@code *.example.org} patterns), lower case, no duplicates. */
    List<String> hosts(Node.Mapping m, String key, String path, boolean wildcard) {
        List<String> result = new ArrayList<>();
        each(m, key, path, (item, p) -> {
            String value = scalar(item, p).orElse(null);
            if (value == null) {
                return;
            }
            if (!(wildcard ? WILDCARD_HOST : HOST).matcher(value).matches()) {
                error(item, p, "'" + value + "' is not a host name" + (wildcard ? " or *.domain pattern" : "")
                        + " (no scheme, port or path)");
            } else if (result.contains(value)) {
                error(item, p, "host '" + value + "' is listed twice");
            } else {
                result.add(value);
            }
        });
        return result;
    }

    Duration duration(String value, Node.Mapping m, String path) {
        return duration(m, "accessTokenLifespan", path, value, Duration.ofSeconds(10), Duration.ofHours(24),
                "10s and 24h (e.g. 300, 300s, 5m, 1h)").orElse(Duration.ofMinutes(5));
    }

    /**
     * The lifetime {@code value} of field {@code key} (seconds, or a number with s, m, h or d), or empty after an
     * error when it is not one between {@code min} and {@code max} ({@code range} says so in words).
     */
    Optional<Duration> duration(Node.Mapping m, String key, String path, String value, Duration min, Duration max,
                                String range) {
        Matcher matcher = DURATION.matcher(value);
        Duration result = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            result = switch (matcher.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        if (result == null || result.compareTo(min) < 0 || result.compareTo(max) > 0) {
            error(m.entries().get(key).value(), path + "." + key, "'" + value + "' is not a lifetime between " + range);
            return Optional.empty();
        }
        return Optional.of(result);
    }

    List<String> references(Node.Mapping m, String key, String path, Set<String> declared, String what) {
        List<String> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        each(m, key, path, (item, p) -> {
            String value = scalar(item, p).orElse(null);
            if (value == null) {
                return;
            }
            if (!declared.contains(value)) {
                error(item, p, what + " '" + value + "' is not declared");
            } else if (!seen.add(value)) {
                error(item, p, what + " '" + value + "' is listed twice");
            } else {
                result.add(value);
            }
        });
        return result;
    }

    SecretRef secret(Node.Mapping m, String key, String path, String owner, String suffix) {
        Node.Entry entry = m.entries().get(key);
        String name;
        Node at = m;
        if (entry == null) {
            if (owner == null) {
                return null;
            }
            name = owner.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + suffix;
        } else {
            at = entry.value();
            String raw = at instanceof Node.Scalar s ? s.text() : null;
            Matcher matcher = raw == null ? null : SECRET_PLACEHOLDER.matcher(raw);
            if (matcher == null || !matcher.matches()) {
                error(at, path + "." + key, "secrets never live in the spec: write ${ENV_NAME} (set it, or leave it "
                        + "unset to have one generated into the secrets file)");
                return null;
            }
            name = matcher.group(1);
        }
        String first = secretNames.putIfAbsent(name, path + "." + key);
        if (first != null) {
            error(at, path + "." + key, "secret variable " + name + " is already used by " + first);
        }
        return new SecretRef(name, Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty()));
    }

    URI url(Node.Mapping m, String key, String path, boolean required) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            if (required) {
                error(m, path, "missing required field '" + key + "'");
            }
            return null;
        }
        return url(entry.value(), path + "." + key, !required);
    }

    URI url(Node node, String path, boolean redirect) {
        String value = scalar(node, path).orElse(null);
        if (value == null) {
            return null;
        }
        // Keycloak accepts one trailing '*' wildcard in redirect URIs; everything before it must be a URL.
        String checked = redirect && value.endsWith("*") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = new URI(checked);
            if (!WebUrls.isWeb(uri) || uri.getRawFragment() != null) {
                throw new URISyntaxException(value, "need an absolute http(s) URL with a host and no fragment");
            }
            return new URI(value);
        } catch (URISyntaxException | IllegalArgumentException e) {
            error(node, path, "'" + value + "' is not a valid URL (absolute http or https, with a host, no fragment)");
            return null;
        }
    }

    void reject(Node.Mapping m, String key, String path, String why) {
        Node.Entry entry = m.entries().get(key);
        if (entry != null && !(entry.value() instanceof Node.Sequence s && s.items().isEmpty())) {
            error(entry.keyLine(), entry.keyColumn(), path + "." + key, why);
        }
    }

    String required(Node.Mapping m, String key, String path, Pattern pattern, String expected) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            error(m, path, "missing required field '" + key + "'");
            return null;
        }
        String value = scalar(entry.value(), path + "." + key).orElse(null);
        if (value != null && !pattern.matcher(value).matches()) {
            error(entry.value(), path + "." + key, "'" + value + "' is not " + expected);
            return null;
        }
        return value;
    }

    Optional<String> optional(Node.Mapping m, String key, String path) {
        Node.Entry entry = m.entries().get(key);
        return entry == null ? Optional.empty() : scalar(entry.value(), path + "." + key);
    }

    void each(Node.Mapping m, String key, String path, BiConsumer<Node, String> action) {
        Node.Entry entry = m.entries().get(key);
        if (entry == null) {
            return;
        }
        List<Node> items = sequence(entry.value(), path + "." + key);
        for (int i = 0; i < items.size(); i++) {
            action.accept(items.get(i), path + "." + key + "[" + i + "]");
        }
    }

    Optional<String> scalar(Node node, String path) {
        if (!(node instanceof Node.Scalar s) || s.text() == null) {
            error(node, path, node instanceof Node.Scalar ? "a value is required" : "expected a single value");
            return Optional.empty();
        }
        return Optional.ofNullable(substitute(s, path));
    }

    private String substitute(Node.Scalar s, String path) {
        Matcher matcher = PLACEHOLDER.matcher(s.text());
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                value = matcher.group(2);
            }
            if (value == null) {
                error(s, path, "environment variable " + matcher.group(1) + " is not set (write ${"
                        + matcher.group(1) + ":-default} to give a default)");
                ok = false;
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return ok ? out.toString() : null;
    }

    Optional<Node.Mapping> mapping(Node node, String path) {
        if (node instanceof Node.Mapping m) {
            return Optional.of(m);
        }
        error(node, path, "expected a mapping (key: value lines)");
        return Optional.empty();
    }

    List<Node> sequence(Node node, String path) {
        if (node instanceof Node.Sequence s) {
            return s.items();
        }
        error(node, path, "expected a list");
        return List.of();
    }

    void fields(Node.Mapping m, String path, Set<String> allowed) {
        for (Node.Entry entry : m.entries().values()) {
            if (!allowed.contains(entry.key())) {
                error(entry.keyLine(), entry.keyColumn(), (path.isEmpty() ? "" : path + ".") + entry.key(),
                        "unknown field '" + entry.key() + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    void error(Node at, String path, String message) {
        error(at.line(), at.column(), path, message);
    }

    void error(int line, int column, String path, String message) {
        errors.add(new SpecError(file, line, column, path, message));
    }
}
