package org.mcpidp.mcpauth;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.feature.McpChangeFeed;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncPromptRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceTemplate;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.PromptsFeature;
import io.modelcontextprotocol.modern.server.feature.PromptsPage;
import io.modelcontextprotocol.modern.server.feature.ResourceTemplatesPage;
import io.modelcontextprotocol.modern.server.feature.ResourcesFeature;
import io.modelcontextprotocol.modern.server.feature.ResourcesPage;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManager;
import io.modelcontextprotocol.util.McpUriTemplateManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.mcpidp.verifier.AuthInfo;

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

    private SdkEngine(Builder builder, McpJsonMapper mapper, Requirements requirements, McpChangeFeed changes,
                      McpServer modern, Optional<LegacySessions> legacy) {
        this.mapper = mapper;
        this.requirements = requirements;
        this.changes = changes;
        this.modern = modern;
        this.legacy = legacy;
        this.supportedVersions = supportedVersions(builder.legacyEra);
        this.legacyRequestTimeout = builder.legacyRequestTimeout;
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

    private static List<String> supportedVersions(boolean legacyEra) {
        List<String> versions = new ArrayList<>();
        versions.add(MODERN_VERSION);
        if (legacyEra) {
            versions.addAll(LEGACY_VERSIONS.reversed());
        }
        return List.copyOf(versions);
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

        public SdkEngine build() {
            McpJsonMapper mapper = McpJsonDefaults.getMapper();
            JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
            RequestStateKeys keys = requestStateKeys == null ? RequestStateKeys.randomForThisProcess()
                    : requestStateKeys;
            if (keys.random()) {
                System.getLogger(SdkEngine.class.getName()).log(System.Logger.Level.WARNING, "no request state key "
                        + "configured (mcp.request-state.key): a key was made for this process; multi round-trip "
                        + "requests then fail across instances and restarts");
            }
            Map<String, SdkTool> toolsCopy = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
            Map<String, SdkPrompt> promptsCopy = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
            List<Served<SdkResource>> served = resources.values().stream().map(Served::of).toList();
            Requirements requirements = requirements(toolsCopy, promptsCopy, served);
            long ttlMs = listTtl.toMillis();
            McpServer.Builder server = McpServer.builder()
                    .serverInfo(serverInfo)
                    .jsonMapper(mapper)
                    .supportedVersions(supportedVersions(legacyEra))
                    .requestStateCodec(new RequestStateSeal(keys, requestStateLifetime, clock, mapper))
                    .discoverCache(0, McpSchema.CacheScope.PRIVATE)
                    .feature(ToolsFeature.ofSync(new Tools(toolsCopy), mapper, validator, ttlMs,
                            McpSchema.CacheScope.PRIVATE));
            if (instructions != null) {
                server.instructions(instructions);
            }
            if (subscriptions) {
                server.subscriptions(changes);
            }
            if (!promptsCopy.isEmpty()) {
                server.feature(PromptsFeature.ofSync(new Prompts(promptsCopy), mapper, ttlMs,
                        McpSchema.CacheScope.PRIVATE));
            }
            if (!served.isEmpty()) {
                server.feature(ResourcesFeature.ofSync(new Resources(served), mapper, ttlMs,
                        McpSchema.CacheScope.PRIVATE));
            }
            McpServer modern = server.build();
            Optional<LegacySessions> legacy = legacyEra ? Optional.of(LegacySessions.of(modern, mapper, serverInfo,
                    instructions, toolsCopy, promptsCopy, resources.values(), legacyRequestTimeout)) : Optional.empty();
            return new SdkEngine(this, mapper, requirements, changes, modern, legacy);
        }

        private static Requirements requirements(Map<String, SdkTool> tools, Map<String, SdkPrompt> prompts,
                                                 List<Served<SdkResource>> resources) {
            Map<String, ToolRequirement> toolRequirements = new LinkedHashMap<>();
            tools.forEach((name, tool) -> toolRequirements.put(name, tool.requirement()));
            Map<String, ToolRequirement> promptRequirements = new LinkedHashMap<>();
            prompts.forEach((name, prompt) -> promptRequirements.put(name, prompt.requirement()));
            return new Requirements(Collections.unmodifiableMap(toolRequirements),
                    Collections.unmodifiableMap(promptRequirements),
                    uri -> resources.stream().filter(resource -> resource.answers(uri)).findFirst()
                            .map(resource -> resource.item().requirement()));
        }
    }

    /** A resource with its URI matcher, made once. */
    record Served<T>(T item, Predicate<String> answers) {
        static Served<SdkResource> of(SdkResource resource) {
            if (resource.definition().isPresent()) {
                String uri = resource.uri();
                return new Served<>(resource, uri::equals);
            }
            McpUriTemplateManager template = new DefaultMcpUriTemplateManager(resource.uri());
            return new Served<>(resource, template::matches);
        }

        boolean answers(String uri) {
            return answers.test(uri);
        }
    }

    /** The caller of a request, as the kit's transport handed it to the engine. */
    private static Optional<AuthInfo> callerOf(McpRequestContext context) {
        return CallerContext.caller(context.transportContext());
    }

    /** Visible to the caller of {@code context}: what its requirement allows her. */
    private static boolean visible(McpRequestContext context, ToolRequirement requirement) {
        return callerOf(context).map(requirement::allows).orElse(false);
    }

    /**
     * The last check, where the handler runs: the gate refused this already, so reaching it means a gate bug or a
     * request that bypassed the gate. Nothing runs.
     */
    private static void admit(McpRequestContext context, ToolRequirement requirement, String what) {
        AuthInfo caller = callerOf(context).orElseThrow(() -> new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR,
                "no authenticated caller"));
        if (!requirement.allows(caller)) {
            throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "not allowed: " + what
                    + " needs what this caller lacks");
        }
    }

    /** The tools, listed per caller in registration order; each handler re-checks its requirement. */
    private static final class Tools implements McpSyncToolRepository {
        private final Map<String, SdkTool> tools;
        private final Map<String, McpSyncTool> guarded = new LinkedHashMap<>();

        Tools(Map<String, SdkTool> tools) {
            this.tools = tools;
            tools.forEach((name, tool) -> {
                McpSyncTool.Handler checked = (context, request) -> {
                    admit(context, tool.requirement(), "tool " + name);
                    return tool.call(context, request);
                };
                guarded.put(name, tool.requiredCapabilities() == null ? McpSyncTool.of(tool.definition(), checked)
                        : McpSyncTool.of(tool.definition(), tool.requiredCapabilities(), checked));
            });
        }

        @Override
        public ToolsPage list(McpRequestContext context, String cursor) {
            List<McpSchema.Tool> visible = new ArrayList<>(tools.size());
            tools.values().forEach(tool -> {
                if (visible(context, tool.requirement())) {
                    visible.add(tool.definition());
                }
            });
            return ToolsPage.of(visible);
        }

        @Override
        public McpSyncTool find(McpRequestContext context, String name) {
            return guarded.get(name);
        }
    }

    private static final class Prompts implements McpSyncPromptRepository {
        private final Map<String, SdkPrompt> prompts;
        private final Map<String, McpSyncPrompt> guarded = new LinkedHashMap<>();

        Prompts(Map<String, SdkPrompt> prompts) {
            this.prompts = prompts;
            prompts.forEach((name, prompt) -> {
                McpSyncPrompt original = prompt.prompt();
                McpSyncPrompt.Handler handler = (context, request) -> {
                    admit(context, prompt.requirement(), "prompt " + name);
                    return original.handler().get(context, request);
                };
                McpSyncPrompt checked = original.requiredCapabilities() == null
                        ? McpSyncPrompt.of(original.definition(), handler)
                        : McpSyncPrompt.of(original.definition(), original.requiredCapabilities(), handler);
                guarded.put(name, original.completionHandler() == null ? checked
                        : checked.withCompletionHandler(original.completionHandler()));
            });
        }

        @Override
        public PromptsPage list(McpRequestContext context, String cursor) {
            List<McpSchema.Prompt> visible = new ArrayList<>();
            prompts.values().forEach(prompt -> {
                if (visible(context, prompt.requirement())) {
                    visible.add(prompt.prompt().definition());
                }
            });
            return PromptsPage.of(visible);
        }

        @Override
        public McpSyncPrompt find(McpRequestContext context, String name) {
            return guarded.get(name);
        }

        @Override
        public boolean supportsCompletion() {
            return prompts.values().stream().anyMatch(prompt -> prompt.prompt().completionHandler() != null);
        }
    }

    private static final class Resources implements McpSyncResourceRepository {
        private final List<Served<SdkResource>> resources;
        private final Map<SdkResource, McpSyncResource> guarded = new LinkedHashMap<>();

        Resources(List<Served<SdkResource>> resources) {
            this.resources = resources;
            resources.forEach(served -> {
                SdkResource resource = served.item();
                McpSyncResource original = resource.resource();
                McpSyncResource.Handler handler = (context, request) -> {
                    admit(context, resource.requirement(), "resource " + request.uri());
                    return original.handler().read(context, request);
                };
                guarded.put(resource, original.requiredCapabilities() == null ? McpSyncResource.of(handler)
                        : McpSyncResource.of(original.requiredCapabilities(), handler));
            });
        }

        @Override
        public ResourcesPage list(McpRequestContext context, String cursor) {
            List<McpSchema.Resource> visible = new ArrayList<>();
            resources.forEach(served -> served.item().definition().ifPresent(definition -> {
                if (visible(context, served.item().requirement())) {
                    visible.add(definition);
                }
            }));
            return ResourcesPage.of(visible);
        }

        @Override
        public ResourceTemplatesPage listTemplates(McpRequestContext context, String cursor) {
            List<McpSchema.ResourceTemplate> visible = new ArrayList<>();
            resources.forEach(served -> served.item().template().ifPresent(template -> {
                if (visible(context, served.item().requirement())) {
                    visible.add(template.definition());
                }
            }));
            return ResourceTemplatesPage.of(visible);
        }

        @Override
        public McpSyncResource find(McpRequestContext context, String uri) {
            return resources.stream().filter(served -> served.answers(uri)).findFirst()
                    .map(served -> guarded.get(served.item())).orElse(null);
        }

        @Override
        public McpSyncResourceTemplate findTemplate(McpRequestContext context, String uriTemplate) {
            return resources.stream().flatMap(served -> served.item().template().stream())
                    .filter(template -> template.definition().uriTemplate().equals(uriTemplate))
                    .findFirst().orElse(null);
        }

        @Override
        public boolean supportsCompletion() {
            return resources.stream().anyMatch(served -> served.item().template()
                    .map(template -> template.completionHandler() != null).orElse(false));
        }

        @Override
        public boolean supportsSubscribe() {
            return true;
        }
    }
}
