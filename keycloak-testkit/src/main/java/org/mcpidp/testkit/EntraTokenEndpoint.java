package org.mcpidp.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The shared pieces of a local STAND-IN (not Microsoft) for Entra ID's v2 token endpoint,
 * {@code POST /{tenant}/oauth2/v2.0/token}, following the wire format Microsoft documents: the form the client posts,
 * the JSON answers ({@link #json}) and the error shape ({@code error, error_description "AADSTS...", error_codes,
 * timestamp, trace_id, correlation_id}, {@link #error}), and where it listens ({@link #listen}). Each stand-in keeps
 * its own grant's rules (client credentials in idp-provisioning, On-Behalf-Of in downstream-token).
 */
public final class EntraTokenEndpoint {

    /** The JSON every stand-in answer is written with. */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** A fixed example time, as Entra writes it in {@code timestamp} and at the end of {@code error_description}. */
    private static final String TIMESTAMP = "2026-12-01 22:00:00Z";

    private EntraTokenEndpoint() {
    }

    /**
     * Where a stand-in listens, with a certificate for it: the server side for MockWebServer's {@code useHttps}, the
     * client side for msal4j's {@code sslSocketFactory} (and OkHttp).
     */
    public record Listener(InetSocketAddress address, HandshakeCertificates serverTls,
                           HandshakeCertificates clientTls) {
    }

    /**
     * Port 443 on a random loopback address (all of 127/8 is loopback on Linux) when this process may bind it, else
     * any port on localhost; with a certificate for that address, {@code localhost} and {@code 127.0.0.1}. Port 443
     * because msal4j 1.26.0 stores tokens under the authority's host without the port but looks them up with it: only
     * a port-less authority, like the real one, shows whether msal4j answers from its own cache.
     */
    public static Listener listen() {
        InetSocketAddress address = loopbackAddress();
        HeldCertificate certificate = new HeldCertificate.Builder()
                .commonName("localhost")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName(address.getAddress().getHostAddress())
                .build();
        return new Listener(address, new HandshakeCertificates.Builder().heldCertificate(certificate).build(),
                new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build());
    }

    private static InetSocketAddress loopbackAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            try {
                InetAddress address = InetAddress.getByAddress(new byte[]{127, (byte) random.nextInt(1, 255),
                        (byte) random.nextInt(1, 255), (byte) random.nextInt(1, 255)});
                try (ServerSocket probe = new ServerSocket(443, 1, address)) {
                    return new InetSocketAddress(address, 443);
                }
            } catch (IOException notAllowedOrTaken) {
                // another address, then any port
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName("localhost"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request's {@code application/x-www-form-urlencoded} body, decoded; empty without a body. */
    public static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new HashMap<>();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** An error answer in Microsoft's shape, without {@code suberror} or {@code claims}. */
    public static MockResponse error(int status, String error, int code, String description) {
        return json(status, errorBody(error, code, description));
    }

    /**
     * The error body: {@code error_description} ends with the trace and correlation ids and the time, as Entra
     * writes it; the same ids are in {@code trace_id} and {@code correlation_id}. A stand-in adds {@code suberror}
     * (consent) or {@code claims} (Conditional Access) itself.
     */
    public static ObjectNode errorBody(String error, int code, String description) {
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + correlation
                + "\r\nTimestamp: " + TIMESTAMP);
        body.putArray("error_codes").add(code);
        body.put("timestamp", TIMESTAMP);
        body.put("trace_id", trace);
        body.put("correlation_id", correlation);
        return body;
    }

    /** A JSON answer with Entra's content type. */
    public static MockResponse json(int status, ObjectNode body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json; charset=utf-8")
                .body(body.toString()).build();
    }
}
