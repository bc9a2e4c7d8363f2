package org.mcpidp.verifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Strict JSON reading for IdP answers: bounded size and depth, duplicate keys refused. */
final class Json {

    /** No IdP document (metadata, introspection) is anywhere near this; a larger one is an error. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    /** Reads a JSON object; anything else (array, HTML, too large, duplicate keys) throws. */
    static Map<String, Object> readObject(ResponseBody body) throws IOException {
        BufferedSource source = body.source();
        if (source.request(MAX_BODY_BYTES + 1)) {
            throw new IOException("response body larger than " + MAX_BODY_BYTES + " bytes");
        }
        Buffer buffer = source.getBuffer();
        try (JsonParser parser = MAPPER.createParser(buffer.inputStream())) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException("response is not a JSON object");
            }
            Map<String, Object> value = MAPPER.readValue(parser, OBJECT);
            if (parser.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
            return value;
        }
    }

    static boolean isJson(ResponseBody body) {
        okhttp3.MediaType type = body.contentType();
        return type != null && ("json".equals(type.subtype()) || type.subtype().endsWith("+json"));
    }
}
