package org.mcpidp.mcpauth;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.feature.McpChangeFeed;
import io.modelcontextprotocol.modern.server.feature.PromptsFeature;
import io.modelcontextprotocol.modern.server.feature.ResourcesFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the settings an {@link SdkEngine.Builder} collected into a running engine: the SDK's 2026-07-28 server with the
 * kit's guarded repositories ({@link GuardedTools}, {@link GuardedPrompts}, {@link GuardedResources}), the legacy
 * sessions that run through it, and the {@link Requirements} the gate looks every call up in. The builder only
 * collects and validates; what the SDK is told, and in which order, is decided here.
 */
final class EngineAssembly {

    /** What the builder collected; {@code requestStateKeys} is empty when none were configured. */
    record Settings(McpSchema.Implementation serverInfo, Optional<String> instructions, Map<String, SdkTool> tools,
                    Map<String, SdkPrompt> prompts, Map<String, SdkResource> resources,
                    Optional<RequestStateKeys> requestStateKeys, Duration requestStateLifetime, Duration listTtl,
                    boolean legacyEra, Duration legacyRequestTimeout, Clock clock, McpChangeFeed changes,
                    boolean subscriptions) {
    }

    private EngineAssembly() {
    }

    static SdkEngine assemble(Settings settings) {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
        RequestStateKeys keys = settings.requestStateKeys().orElseGet(RequestStateKeys::randomForThisProcess);
        if (keys.random()) {
            System.getLogger(SdkEngine.class.getName()).log(System.Logger.Level.WARNING, "no request state key "
                    + "configured (mcp.request-state.key): a key was made for this process; multi round-trip "
                    + "requests then fail across instances and restarts");
        }
        Map<String, SdkTool> toolsCopy = Collections.unmodifiableMap(new LinkedHashMap<>(settings.tools()));
        Map<String, SdkPrompt> promptsCopy = Collections.unmodifiableMap(new LinkedHashMap<>(settings.prompts()));
        List<ServedResource> served = settings.resources().values().stream().map(ServedResource::of).toList();
        Requirements requirements = requirements(toolsCopy, promptsCopy, served);
        long ttlMs = settings.listTtl().toMillis();
        List<String> supportedVersions = supportedVersions(settings.legacyEra());
        McpServer.Builder server = McpServer.builder()
                .serverInfo(settings.serverInfo())
                .jsonMapper(mapper)
                .supportedVersions(supportedVersions)
                .requestStateCodec(new RequestStateSeal(keys, settings.requestStateLifetime(), settings.clock(),
                        mapper))
                .discoverCache(0, McpSchema.CacheScope.PRIVATE)
                .feature(ToolsFeature.ofSync(new GuardedTools(toolsCopy), mapper, validator, ttlMs,
                        McpSchema.CacheScope.PRIVATE));
        settings.instructions().ifPresent(server::instructions);
        if (settings.subscriptions()) {
            server.subscriptions(settings.changes());
        }
        if (!promptsCopy.isEmpty()) {
            server.feature(PromptsFeature.ofSync(new GuardedPrompts(promptsCopy), mapper, ttlMs,
                    McpSchema.CacheScope.PRIVATE));
        }
        if (!served.isEmpty()) {
            server.feature(ResourcesFeature.ofSync(new GuardedResources(served), mapper, ttlMs,
                    McpSchema.CacheScope.PRIVATE));
        }
        McpServer modern = server.build();
        Optional<LegacySessions> legacy = settings.legacyEra() ? Optional.of(LegacySessions.of(modern, mapper,
                settings.serverInfo(), settings.instructions().orElse(null), toolsCopy, promptsCopy,
                settings.resources().values(), settings.legacyRequestTimeout())) : Optional.empty();
        return new SdkEngine(mapper, requirements, settings.changes(), modern, legacy, supportedVersions,
                settings.legacyRequestTimeout());
    }

    /** Every revision the engine answers, newest first: the modern one, then (unless switched off) the legacy ones. */
    private static List<String> supportedVersions(boolean legacyEra) {
        List<String> versions = new ArrayList<>();
        versions.add(SdkEngine.MODERN_VERSION);
        if (legacyEra) {
            versions.addAll(SdkEngine.LEGACY_VERSIONS.reversed());
        }
        return List.copyOf(versions);
    }

    private static Requirements requirements(Map<String, SdkTool> tools, Map<String, SdkPrompt> prompts,
                                             List<ServedResource> resources) {
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
