package org.mcpidp.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A server's JFR recording grouped by the stage of the request path each sample was taken in: CPU samples
 * ({@code jdk.CPUTimeSample}, which counts native time too; {@code jdk.ExecutionSample} when there are none) and
 * allocation samples ({@code jdk.ObjectAllocationSample}, by their weight in bytes), within one time window.
 *
 * <p>A sample belongs to the innermost frame that names a stage ({@link #STAGE_FRAMES}, e.g. the audit listener
 * called from the endpoint is audit, Jackson called from the gate's read is the body parse), looking no further out
 * than a filter's {@code chain.proceed()} (what runs inside it is not the filter's work). A stack with none of
 * them goes by the package of its innermost known frame (the verifier and its cache: auth; the SDK and Reactor: the
 * engine; the kit's endpoint: the kit's transport; Helidon: Helidon), else "JVM / other".
 */
final class JfrStages {

    /** Where a request's time goes, in the order the table lists them. */
    enum Stage {
        HELIDON("Helidon (HTTP parsing, routing, socket)"),
        REQUEST_IDS("request ids + MDC"),
        RULES("rules (Origin/Host, 2026-07-28 headers, legacy session guard)"),
        AUTH("auth (bearer header, token verification + cache)"),
        BODY("body read + strict parse"),
        AUTHORIZATION("authorization (requirements)"),
        HANDOFF("engine handoff (params, mirrored headers, state binding)"),
        ENGINE("SDK engine (dispatch, schema check, legacy session)"),
        TOOL("tool (whoami)"),
        ANSWER("answer: JSON serialization + write"),
        AUDIT("audit (decision record, queue, writer thread)"),
        METRICS("metrics (Micrometer)"),
        KIT("kit transport (other)"),
        GC("GC threads"),
        OTHER("JVM / other");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** Frames that name a stage: a class (prefix) or {@code Class.method}; the innermost on a stack decides. */
    private static final List<Map.Entry<String, Stage>> STAGE_FRAMES = List.of(
            Map.entry("org.mcpidp.mcpserver.tools.", Stage.TOOL),
            Map.entry("org.mcpidp.mcpauth.RequestIds", Stage.REQUEST_IDS),
            Map.entry("io.helidon.logging.common.HelidonMdc", Stage.REQUEST_IDS),
            Map.entry("org.mcpidp.mcpauth.BearerAuthentication", Stage.AUTH),
            Map.entry("org.mcpidp.verifier.PolicyTokenVerifier.verify", Stage.AUTH),
            Map.entry("org.mcpidp.mcpauth.JsonRpcGate.read", Stage.BODY),
            Map.entry("org.mcpidp.mcpauth.JsonRpcCalls.parse", Stage.BODY),
            Map.entry("org.mcpidp.mcpauth.ModernRequestRules", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.OriginGuard", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.BrowserAccess", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.CorsPolicy", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.SessionGuard", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.SessionRegistry", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.sessionRule", Stage.RULES),
            Map.entry("org.mcpidp.mcpauth.JsonRpcGate.authorize", Stage.AUTHORIZATION),
            Map.entry("org.mcpidp.mcpauth.Requirements", Stage.AUTHORIZATION),
            Map.entry("org.mcpidp.mcpauth.ToolRequirement", Stage.AUTHORIZATION),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.params", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.idValue", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint$1", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.headerAccessor", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.RequestStateSeal.binding", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.CallerContext.<init>", Stage.HANDOFF),
            Map.entry("org.mcpidp.mcpauth.EngineRequest", Stage.HANDOFF),
            Map.entry("io.modelcontextprotocol.modern.server.transport.McpHeaderDecoder", Stage.HANDOFF),
            Map.entry("io.modelcontextprotocol.modern.server.McpServer", Stage.ENGINE),
            Map.entry("io.modelcontextprotocol.spec.McpStreamableServerSession", Stage.ENGINE),
            Map.entry("org.mcpidp.mcpauth.LegacyBridge", Stage.ENGINE),
            Map.entry("org.mcpidp.mcpauth.LegacySessions", Stage.ENGINE),
            Map.entry("org.mcpidp.mcpauth.SdkEngine", Stage.ENGINE),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.bytes", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.json", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.write", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.stream", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.EventStream", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.LegacyStream", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.Answers", Stage.ANSWER),
            Map.entry("org.mcpidp.mcpauth.audit.", Stage.AUDIT),
            Map.entry("org.mcpidp.mcpauth.SdkEndpoint.decided", Stage.AUDIT),
            Map.entry("org.mcpidp.mcpauth.Exchange.decisions", Stage.AUDIT),
            Map.entry("org.mcpidp.mcpauth.AccessDecision", Stage.AUDIT),
            Map.entry("org.mcpidp.mcpauth.observe.AuthMetrics", Stage.METRICS),
            Map.entry("org.mcpidp.mcpauth.JsonRpcGate.called", Stage.METRICS),
            Map.entry("io.micrometer.", Stage.METRICS));

    /** When no stage frame is on the stack: the innermost frame of one of these packages decides. */
    private static final List<Map.Entry<String, Stage>> PACKAGES = List.of(
            Map.entry("org.mcpidp.verifier.", Stage.AUTH),
            Map.entry("com.github.benmanes.caffeine.", Stage.AUTH),
            Map.entry("com.nimbusds.", Stage.AUTH),
            Map.entry("okhttp3.", Stage.AUTH),
            Map.entry("io.modelcontextprotocol.", Stage.ENGINE),
            Map.entry("reactor.", Stage.ENGINE),
            Map.entry("org.mcpidp.mcpauth.", Stage.KIT),
            Map.entry("io.helidon.", Stage.HELIDON));

    /**
     * What one window of a recording holds.
     *
     * @param cpuSamples   CPU samples per stage
     * @param allocated    sampled allocation weight (bytes) per stage
     * @param gcCpu        CPU time of the garbage collector in the window ({@code jdk.GCCPUTime})
     */
    record Profile(Map<Stage, Long> cpuSamples, Map<Stage, Long> allocated, Duration gcCpu) {

        long totalSamples() {
            return cpuSamples.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * Microseconds of CPU per request for each stage: the process's CPU in the window minus the collector's,
         * shared out by the stage's part of the samples; the collector's own as {@link Stage#GC}.
         */
        Map<Stage, Double> cpuMicrosPerRequest(Duration processCpu, long requests) {
            Map<Stage, Double> perRequest = new EnumMap<>(Stage.class);
            double total = totalSamples();
            double mutatorMicros = Math.max(0, processCpu.minus(gcCpu).toNanos() / 1e3);
            for (Stage stage : Stage.values()) {
                double share = total == 0 ? 0 : cpuSamples.getOrDefault(stage, 0L) / total;
                perRequest.put(stage, share * mutatorMicros / requests);
            }
            perRequest.merge(Stage.GC, gcCpu.toNanos() / 1e3 / requests, Double::sum);
            return perRequest;
        }

        Map<Stage, Double> bytesPerRequest(long requests) {
            Map<Stage, Double> perRequest = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                perRequest.put(stage, allocated.getOrDefault(stage, 0L) / (double) requests);
            }
            return perRequest;
        }
    }

    private JfrStages() {
    }

    /** The samples of {@code recording} taken between {@code from} and {@code to}, by stage. */
    static Profile read(Path recording, Instant from, Instant to) throws IOException {
        Map<Stage, Long> cpuTime = new EnumMap<>(Stage.class);
        Map<Stage, Long> execution = new EnumMap<>(Stage.class);
        Map<Stage, Long> allocated = new EnumMap<>(Stage.class);
        long gcNanos = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                Instant at = event.getStartTime();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                switch (event.getEventType().getName()) {
                    case "jdk.CPUTimeSample" -> cpuTime.merge(stageOf(event.getStackTrace()), 1L, Long::sum);
                    case "jdk.ExecutionSample" -> execution.merge(stageOf(event.getStackTrace()), 1L, Long::sum);
                    case "jdk.ObjectAllocationSample" -> allocated.merge(stageOf(event.getStackTrace()),
                            event.getLong("weight"), Long::sum);
                    case "jdk.GCCPUTime" -> gcNanos += event.getLong("userTime") + event.getLong("systemTime");
                    default -> {
                    }
                }
            }
        }
        return new Profile(cpuTime.isEmpty() ? execution : cpuTime, allocated, Duration.ofNanos(gcNanos));
    }

    static Stage stageOf(RecordedStackTrace stack) {
        if (stack == null) {
            return Stage.OTHER;
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (RecordedFrame frame : frames) {
            if (!frame.isJavaFrame()) {
                continue;
            }
            String type = frame.getMethod().getType().getName();
            String method = type + "." + frame.getMethod().getName();
            if (type.startsWith("io.helidon.webserver.") && frame.getMethod().getName().equals("proceed")) {
                break; // a filter handed the request on: what runs inside is not the filter's work
            }
            for (Map.Entry<String, Stage> rule : STAGE_FRAMES) {
                String key = rule.getKey();
                if (key.endsWith(".") ? type.startsWith(key) : type.equals(key) || method.equals(key)
                        || type.startsWith(key + "$")) {
                    return rule.getValue();
                }
            }
        }
        for (RecordedFrame frame : frames) {
            String type = frame.isJavaFrame() ? frame.getMethod().getType().getName() : "";
            for (Map.Entry<String, Stage> rule : PACKAGES) {
                if (type.startsWith(rule.getKey())) {
                    return rule.getValue();
                }
            }
        }
        return Stage.OTHER;
    }
}
