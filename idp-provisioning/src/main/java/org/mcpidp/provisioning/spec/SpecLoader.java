package org.mcpidp.provisioning.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a tenant spec (YAML, or JSON for {@code .json} files) and validates it completely before anything touches
 * an IdP. All errors are collected and thrown together as {@link InvalidSpecException}, each with file, line, column
 * and field path.
 *
 * <p>Values may use {@code ${NAME}} and {@code ${NAME:-default}}; an unset variable without default is an error.
 * Secret fields ({@code secret}, {@code password}) accept only a lone {@code ${NAME}}: the secret itself never lives
 * in the file, and an unset variable there means "generate one".
 */
public final class SpecLoader {

    private final Map<String, String> env;
    private final TargetRules rules;

    /** @param env the environment used for {@code ${NAME}} substitution (usually {@code System.getenv()}) */
    public SpecLoader(Map<String, String> env) {
        this(env, TargetRules.NONE);
    }

    /** @param rules the IdP target's own rules on names, checked with everything else before any IdP call */
    public SpecLoader(Map<String, String> env, TargetRules rules) {
        this.env = Map.copyOf(env);
        this.rules = rules;
    }

    public SpecFile load(Path file) throws InvalidSpecException, IOException {
        String name = file.getFileName().toString();
        List<SpecError> errors = new ArrayList<>();
        Node root;
        JsonFactory factory = name.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        try (JsonParser parser = factory.createParser(Files.newBufferedReader(file))) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidSpecException(List.of(new SpecError(name, 1, 1, "", "the file is empty")));
            }
            root = read(parser, name, errors);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidSpecException(List.of(new SpecError(name,
                    at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()), "",
                    "not valid " + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": " + e.getOriginalMessage())));
        }
        List<SpecError> warnings = new ArrayList<>();
        List<TenantSpec> tenants = new TenantBinder(new SpecReader(name, env, errors, warnings), rules).bind(root);
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors);
        }
        return new SpecFile(file, tenants, warnings);
    }

    private static Node read(JsonParser parser, String file, List<SpecError> errors) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation keyAt = parser.currentTokenLocation();
                    String key = parser.currentName();
                    parser.nextToken();
                    Node value = read(parser, file, errors);
                    if (entries.containsKey(key)) {
                        errors.add(new SpecError(file, keyAt.getLineNr(), keyAt.getColumnNr(), key,
                                "duplicate key '" + key + "'"));
                    }
                    entries.put(key, new Node.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
                }
                return new Node.Mapping(entries, line, column);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, file, errors));
                }
                return new Node.Sequence(items, line, column);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(null, line, column);
            }
            default -> {
                return new Node.Scalar(Objects.requireNonNull(parser.getText()), line, column);
            }
        }
    }
}
