package org.mcpidp.mcpauth;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.feature.McpChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The official MCP Java SDK (2.2.0) as the engine behind the kit's stages: its 2026-07-28 server
 * ({@code io.modelcontextprotocol.modern.server.McpServer}) for modern clients and, unless switched off, its legacy
 * server for clients that {@code initialize} (2025-11-25, 2025-06-18, 2025-03-26), both on one endpoint, hosted on
 * Helidon WebServer by a small transport of the kit's. Tools, prompts and resources are written once, against the
 * SDK's 2026-07-28 API, each with its requirement ({@link SdkTool}, {@link SdkPrompt}, {@link SdkResource}); the
 * legacy era runs them through the modern server, so there is one place each is defined and executed.
 *
 * <pre>{@code
 * SdkEngine engine = SdkEngine.builder()
 *         .serverInfo("products", "1.0")
 *         .addTool(ProductTools.list(store))          // an SdkTool: definition, requirement, handler
 *         .requestStateKeys(RequestStateKeys.of(secret, List.of()))
 *         .build();
 * BearerAuthFeature auth = BearerAuthFeature.builder().config(config).engine(engine).build();
 * WebServer.builder().config(config.get("server")).addFeature(auth)...
 * }</pre>
 *
 * Lists are filtered per caller (a tool a caller may not call is not listed to her), in registration order, and
 * marked {@code cacheScope: "private"}.
 */
public final class SdkEngine {

    /** The revision the modern server speaks. */
    public static final String MODERN_VERSION = "2026-07-28";
    /** The revisions the legacy server negotiates, oldest first (the newest is its answer to anything else). */
    public static final List<String> LEGACY_VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");

    private final McpServer modern;
    private final Optional<LegacySessions> legacy;
    private final McpJsonMapper mapper;
    private final Requirements requirements;
    private final McpChangeFeed changes;
    private final List<String> supportedVersions;
    private final Duration legacyRequestTimeout;

    SdkEngine(McpJsonMapper mapper, Requirements requirements, McpChangeFeed changes, McpServer modern,
              Optional<LegacySessions> legacy, List<String> supportedVersions, Duration legacyRequestTimeout) {
        this.mapper = mapper;
        this.requirements = requirements;
        this.changes = changes;
        this.modern = modern;
        this.legacy = legacy;
        this.supportedVersions = supportedVersions;
        this.legacyRequestTimeout = legacyRequestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where list changes are announced: {@code broadcast(new ServerChange.ToolsListChanged())} reaches every
     * {@code subscriptions/listen} stream that asked for it.
     */
    public McpChangeFeed changes() {
        return changes;
    }

    /** Every protocol revision this engine answers, newest first (the list an unsupported version is told). */
    public List<String> supportedVersions() {
        return supportedVersions;
    }

    /** Legacy sessions open in the SDK now (the session registry's count, unless one leaked). */
    public int legacySessionCount() {
        return legacy.map(LegacySessions::size).orElse(0);
    }

    McpServer modern() {
        return modern;
    }

    Optional<LegacySessions> legacy() {
        return legacy;
    }

    McpJsonMapper mapper() {
        return mapper;
    }

    Requirements requirements() {
        return requirements;
    }

    Duration legacyRequestTimeout() {
        return legacyRequestTimeout;
    }

    /** Ends open {@code subscriptions/listen} streams and legacy sessions. */
    void close() {
        modern.closeGracefully();
        legacy.ifPresent(LegacySessions::closeAll);
    }

    /** Builds an {@link SdkEngine}; every tool, prompt and resource declares its requirement, under a unique name. */
    public static final class Builder {

        private McpSchema.Implementation serverInfo = McpSchema.Implementation.builder("mcp-server", "1.0").build();
        private String instructions;
        private final Map<String, SdkTool> tools = new LinkedHashMap<>();
        private final Map<String, SdkPrompt> prompts = new LinkedHashMap<>();
        private final Map<String, SdkResource> resources = new LinkedHashMap<>();
        private RequestStateKeys requestStateKeys;
        private Duration requestStateLifetime = Duration.ofMinutes(5);
        private Duration listTtl = Duration.ofMinutes(1);
        private boolean legacyEra = true;
        private Duration legacyRequestTimeout = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private McpChangeFeed changes = new McpChangeFeed();
        private boolean subscriptions = true;

        private Builder() {
        }

        public Builder serverInfo(String name, String version) {
            this.serverInfo = McpSchema.Implementation.builder(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(version, "version")).build();
            return this;
        }

        public Builder instructions(String value) {
            this.instructions = Objects.requireNonNull(value, "instructions");
            return this;
        }

        /** A tool; {@link #build()} fails when its requirement is null or its name is taken. */
        public Builder addTool(SdkTool tool) {
            Objects.requireNonNull(tool, "tool");
            String name = tool.definition().name();
            if (tool.requirement() == null) {
                throw new IllegalStateException("tool " + name + " declares no requirement: return the scopes or "
                        + "roles it needs, or ToolRequirement.anyAuthenticated() for any caller");
            }
            if (tools.putIfAbsent(name, tool) != null) {
                throw new IllegalStateException("tool " + name + " is registered twice");
            }
            return this;
        }

        public Builder addPrompt(SdkPrompt prompt) {
            if (prompts.putIfAbsent(prompt.name(), prompt) != null) {
                throw new IllegalStateException("prompt " + prompt.name() + " is registered twice");
            }
            return this;
        }

        public Builder addResource(SdkResource resource) {
            if (resources.putIfAbsent(resource.uri(), resource) != null) {
                throw new IllegalStateException("resource " + resource.uri() + " is registered twice");
            }
            return this;
        }

        /**
         * The keys of {@code requestState} (multi round-trip requests). Without them a key is made for this process:
         * fine for one instance, but a state sealed by one instance is refused by another and by a restarted one.
         */
        public Builder requestStateKeys(RequestStateKeys keys) {
            this.requestStateKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** How long a sealed {@code requestState} is accepted (default five minutes). */
        public Builder requestStateLifetime(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the request state lifetime must be positive");
            }
            this.requestStateLifetime = value;
            return this;
        }

        /** The {@code ttlMs} of list results (default one minute; they are always {@code cacheScope: private}). */
        public Builder listTtl(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("the list TTL must not be negative");
            }
            this.listTtl = value;
            return this;
        }

        /** Whether clients that {@code initialize} (2025-11-25 and older) are served (default true). */
        public Builder legacyEra(boolean value) {
            this.legacyEra = value;
            return this;
        }

        /** How long a legacy session's server-to-client request (a confirmation) waits for its answer (five minutes). */
        public Builder legacyRequestTimeout(Duration value) {
            this.legacyRequestTimeout = Objects.requireNonNull(value, "legacyRequestTimeout");
            return this;
        }

        /**
         * Engine settings from configuration: {@code mcp.request-state.key} (base64, 32 bytes or more; from a secret,
         * e.g. {@code MCP_REQUEST_STATE_KEY}), {@code mcp.request-state.previous-keys} (still accepted during a
         * rotation), {@code mcp.request-state.lifetime}, {@code mcp.list-ttl} and {@code mcp.legacy-era}.
         *
         * @throws IllegalStateException naming the key of an invalid value
         */
        public Builder config(io.helidon.config.Config root) {
            io.helidon.config.Config mcp = root.get("mcp");
            io.helidon.config.Config state = mcp.get("request-state");
            ConfigValues.string(state.get("key")).ifPresent(key -> ConfigValues.named(state.get("key"),
                    () -> requestStateKeys(RequestStateKeys.of(key, ConfigValues.strings(state.get("previous-keys"))))));
            ConfigValues.duration(state.get("lifetime")).ifPresent(value -> ConfigValues.named(state.get("lifetime"),
                    () -> requestStateLifetime(value)));
            ConfigValues.duration(mcp.get("list-ttl")).ifPresent(value -> ConfigValues.named(mcp.get("list-ttl"),
                    () -> listTtl(value)));
            ConfigValues.bool(mcp.get("legacy-era")).ifPresent(this::legacyEra);
            return this;
        }

        /**
         * Whether {@code subscriptions/listen} is served (default true): clients then learn of list changes. A
         * server whose lists never change can leave it off; {@code server/discover} then declares no
         * {@code listChanged}.
         */
        public Builder subscriptions(boolean value) {
            this.subscriptions = value;
            return this;
        }

        /** Where list changes are announced (default: a feed of the engine's own, see {@link #changes()}). */
        public Builder changes(McpChangeFeed value) {
            this.changes = Objects.requireNonNull(value, "changes");
            return this;
        }

        /** The clock request states expire by; for tests. */
        Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The engine these settings describe; the SDK's servers are made now (see {@link EngineAssembly}). */
        public SdkEngine build() {
            return EngineAssembly.assemble(new EngineAssembly.Settings(serverInfo, Optional.ofNullable(instructions),
                    tools, prompts, resources, Optional.ofNullable(requestStateKeys), requestStateLifetime, listTtl,
                    legacyEra, legacyRequestTimeout, clock, changes, subscriptions));
        }
    }
}
