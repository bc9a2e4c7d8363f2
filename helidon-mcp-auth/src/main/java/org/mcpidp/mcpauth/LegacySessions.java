package org.mcpidp.mcpauth;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The MCP Java SDK's legacy server (protocol 2025-11-25 and older: {@code initialize}, sessions, server-to-client
 * requests on a request's event stream) behind the kit's transport: the sessions it opened, by id. Which session
 * belongs to whom, how many a caller may hold and when an idle one ends is the kit's session registry's business;
 * it closes them here ({@link #close}).
 */
final class LegacySessions implements McpStreamableServerTransportProvider {

    private static final System.Logger LOGGER = System.getLogger(LegacySessions.class.getName());

    private final Map<String, McpStreamableServerSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Visibility> lists;
    private volatile McpStreamableServerSession.Factory factory;
    private McpSyncServer server;

    /**
     * What a caller may see of the lists the legacy server answers without a per-caller filter of its own (prompts,
     * resources, templates): the transport drops the rest from the answer.
     */
    interface Visibility {
        boolean visible(org.mcpidp.verifier.AuthInfo caller, Map<String, Object> item);
    }

    private LegacySessions(Map<String, Visibility> lists) {
        this.lists = lists;
    }

    /**
     * The legacy server for the engine's tools, prompts and resources, each served through {@code modern} (see
     * {@link LegacyBridge}), with the tools listed per caller.
     */
    static LegacySessions of(io.modelcontextprotocol.modern.server.McpServer modern, McpJsonMapper mapper,
                             McpSchema.Implementation serverInfo, String instructions, Map<String, SdkTool> tools,
                             Map<String, SdkPrompt> prompts, Collection<SdkResource> resources,
                             Duration requestTimeout) {
        LegacyBridge bridge = new LegacyBridge(modern, mapper);
        Map<String, Visibility> lists = Map.of(
                "prompts/list", (caller, item) -> allowed(caller, prompts.get(String.valueOf(item.get("name")))
                        == null ? null : prompts.get(String.valueOf(item.get("name"))).requirement()),
                "resources/list", (caller, item) -> resourceAllowed(caller, resources, item.get("uri")),
                "resources/templates/list", (caller, item) -> resourceAllowed(caller, resources,
                        item.get("uriTemplate")));
        LegacySessions provider = new LegacySessions(lists);
        io.modelcontextprotocol.spec.McpSchema.ServerCapabilities.Builder capabilities =
                io.modelcontextprotocol.spec.McpSchema.ServerCapabilities.builder().logging().tools(true);
        List<McpServerFeatures.SyncToolSpecification> toolSpecs = new ArrayList<>();
        tools.forEach((name, tool) -> toolSpecs.add(McpServerFeatures.SyncToolSpecification.builder()
                .tool(mapper.convertValue(tool.definition(), io.modelcontextprotocol.spec.McpSchema.Tool.class))
                .callHandler(bridge::callTool)
                .build()));
        List<McpServerFeatures.SyncPromptSpecification> promptSpecs = new ArrayList<>();
        List<McpServerFeatures.SyncCompletionSpecification> completions = new ArrayList<>();
        prompts.forEach((name, prompt) -> {
            promptSpecs.add(new McpServerFeatures.SyncPromptSpecification(mapper.convertValue(
                    prompt.prompt().definition(), io.modelcontextprotocol.spec.McpSchema.Prompt.class),
                    bridge::getPrompt));
            if (prompt.prompt().completionHandler() != null) {
                completions.add(new McpServerFeatures.SyncCompletionSpecification(
                        new io.modelcontextprotocol.spec.McpSchema.PromptReference(name), bridge::complete));
            }
        });
        List<McpServerFeatures.SyncResourceSpecification> resourceSpecs = new ArrayList<>();
        List<McpServerFeatures.SyncResourceTemplateSpecification> templateSpecs = new ArrayList<>();
        for (SdkResource resource : resources) {
            resource.definition().ifPresent(definition -> resourceSpecs.add(
                    new McpServerFeatures.SyncResourceSpecification(mapper.convertValue(definition,
                            io.modelcontextprotocol.spec.McpSchema.Resource.class), bridge::readResource)));
            resource.template().ifPresent(template -> {
                templateSpecs.add(new McpServerFeatures.SyncResourceTemplateSpecification(mapper.convertValue(
                        template.definition(), io.modelcontextprotocol.spec.McpSchema.ResourceTemplate.class),
                        bridge::readResource));
                if (template.completionHandler() != null) {
                    completions.add(new McpServerFeatures.SyncCompletionSpecification(
                            new io.modelcontextprotocol.spec.McpSchema.ResourceReference(resource.uri()),
                            bridge::complete));
                }
            });
        }
        if (!promptSpecs.isEmpty()) {
            capabilities.prompts(true);
        }
        if (!resourceSpecs.isEmpty() || !templateSpecs.isEmpty()) {
            capabilities.resources(true, true);
        }
        if (!completions.isEmpty()) {
            capabilities.completions();
        }
        io.modelcontextprotocol.server.McpServer.SyncSpecification<?> spec =
                io.modelcontextprotocol.server.McpServer.sync(provider)
                        .serverInfo(serverInfo.name(), serverInfo.version())
                        .jsonMapper(mapper)
                        // a confirmation waits for a person: far longer than the SDK's 10 s default
                        .requestTimeout(requestTimeout)
                        // handlers run on the request's own (virtual) thread, which waits for them anyway
                        .immediateExecution(true)
                        // every call runs through the modern server (LegacyBridge), whose ToolsFeature validates the
                        // arguments against the same input schema before the tool runs: validated once, not twice
                        // (the legacy check was a third of this era's engine CPU per call)
                        .validateToolInputs(false)
                        .capabilities(capabilities.build())
                        .tools(toolSpecs)
                        .addToolFilter((context, tool) -> CallerContext.caller(context)
                                .map(caller -> tools.get(tool.name()) != null
                                        && tools.get(tool.name()).requirement().allows(caller))
                                .orElse(false));
        if (instructions != null) {
            spec.instructions(instructions);
        }
        spec.prompts(promptSpecs).resources(resourceSpecs).resourceTemplates(templateSpecs).completions(completions);
        provider.server = spec.build();
        return provider;
    }

    private static boolean allowed(org.mcpidp.verifier.AuthInfo caller, ToolRequirement requirement) {
        return requirement != null && requirement.allows(caller);
    }

    private static boolean resourceAllowed(org.mcpidp.verifier.AuthInfo caller, Collection<SdkResource> resources,
                                           Object uri) {
        return resources.stream().filter(resource -> resource.uri().equals(String.valueOf(uri))).findFirst()
                .map(resource -> resource.requirement().allows(caller)).orElse(false);
    }

    /** Which items of a list answer {@code caller} may see, for a list the legacy server does not filter itself. */
    Optional<Visibility> listFilter(String method) {
        return Optional.ofNullable(lists.get(method));
    }

    /** A new session for an {@code initialize} request's parameters, with the server's answer to it. */
    Opened open(io.modelcontextprotocol.spec.McpSchema.InitializeRequest request) {
        McpStreamableServerSession.McpStreamableServerSessionInit init = factory.startSession(request);
        McpStreamableServerSession session = init.session();
        io.modelcontextprotocol.spec.McpSchema.InitializeResult result = init.initResult().block();
        sessions.put(session.getId(), session);
        return new Opened(session, result);
    }

    /** A session and the answer to the {@code initialize} that opened it. */
    record Opened(McpStreamableServerSession session,
                  io.modelcontextprotocol.spec.McpSchema.InitializeResult result) {
    }

    Optional<McpStreamableServerSession> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Ends a session: its client's DELETE, or the registry closed it (idle, evicted). */
    void close(String id) {
        McpStreamableServerSession session = sessions.remove(id);
        if (session != null) {
            try {
                session.delete().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOGGER.log(Level.DEBUG, "closing a legacy session failed: " + e.getClass().getName());
            }
        }
    }

    int size() {
        return sessions.size();
    }

    void closeAll() {
        List.copyOf(sessions.keySet()).forEach(this::close);
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory value) {
        this.factory = value;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(session -> session.sendNotification(method, params).onErrorResume(e -> Mono.empty()))
                .then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::closeAll);
    }

    @Override
    public List<String> protocolVersions() {
        return SdkEngine.LEGACY_VERSIONS;
    }
}
