package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import java.util.List;
import java.util.Optional;

/**
 * The media types of a POST to the MCP endpoint, checked before its body is read (stage 3 of the bearer gate, see
 * {@link JsonRpcGate}): one Content-Type, JSON in UTF-8, and an Accept that takes JSON. Written without allocation
 * where it can be: it runs on every POST.
 */
final class PostMediaTypes {

    private PostMediaTypes() {
    }

    /**
     * A POST must be JSON and must accept JSON (or an event stream with it): the MCP handler never answers other
     * Content-Type or Accept values (the connection hangs), so they are refused here with 415 / 406.
     */
    static Optional<Refusal> check(Headers headers) {
        List<String> contentTypes = headers.all(HeaderNames.CONTENT_TYPE, List::of);
        if (contentTypes.size() > 1) {
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, null,
                    JsonRpcCalls.INVALID_REQUEST, "exactly one Content-Type header is allowed"));
        }
        Optional<String> contentType = contentTypes.isEmpty() ? Optional.empty() : Optional.of(contentTypes.getFirst());
        if (contentType.isPresent() && !isMediaType(contentType.get(), 0, contentType.get().length(),
                "application/json")) {
            return Optional.of(Refusal.of(Status.UNSUPPORTED_MEDIA_TYPE_415, AuthOutcome.BAD_REQUEST,
                    "invalid_request", "Content-Type must be application/json"));
        }
        if (contentType.isPresent() && !charsetIsUtf8(contentType.get())) {
            // the engine decodes by this charset, the gate by UTF-8 (RFC 8259): they must be the same
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, null,
                    JsonRpcCalls.PARSE_ERROR, "the body must be UTF-8: a Content-Type charset other than utf-8 is "
                            + "refused"));
        }
        List<String> accept = headers.all(HeaderNames.ACCEPT, List::of);
        if (!accept.isEmpty() && !acceptsJson(accept)) {
            return Optional.of(Refusal.of(Status.NOT_ACCEPTABLE_406, AuthOutcome.BAD_REQUEST, "invalid_request",
                    "Accept must include application/json (and text/event-stream)"));
        }
        return Optional.empty();
    }

    /** Plain loops, no streams, splits or substrings: this runs on every POST. */
    private static boolean acceptsJson(List<String> acceptHeaders) {
        for (String header : acceptHeaders) {
            int start = 0;
            while (start <= header.length()) {
                int comma = header.indexOf(',', start);
                int end = comma < 0 ? header.length() : comma;
                if (isMediaType(header, start, end, "application/json") || isMediaType(header, start, end,
                        "application/*") || isMediaType(header, start, end, "*/*")) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    /**
     * Whether {@code value[start, end)}, parameters and outer white space aside, is the media type {@code expected}
     * (lower-case ASCII), ignoring ASCII case: {@code strip().toLowerCase(Locale.ROOT).equals(expected)} of that
     * region (no other character lower-cases to one of these), without the substrings.
     */
    static boolean isMediaType(String value, int start, int end, String expected) {
        int semicolon = value.indexOf(';', start);
        if (semicolon >= 0 && semicolon < end) {
            end = semicolon;
        }
        while (start < end && Character.isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (end - start != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            char c = value.charAt(start + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True without a {@code charset} parameter, or with {@code charset=utf-8} (any case, quoted or not). */
    static boolean charsetIsUtf8(String contentType) {
        boolean utf8 = true;
        int start = contentType.indexOf(';');
        while (start >= 0) {
            int end = contentType.indexOf(';', start + 1);
            String parameter = contentType.substring(start + 1, end < 0 ? contentType.length() : end).strip();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
                String value = parameter.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                utf8 &= value.equalsIgnoreCase("utf-8");
            }
            start = end;
        }
        return utf8;
    }
}
