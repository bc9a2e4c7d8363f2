package org.mcpidp.verifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cache key: SHA-256 of issuer and token. The token itself is never stored, so a heap dump or a cache listing
 * reveals no usable credential. Four longs make equals/hashCode cheap.
 */
record TokenDigest(long a, long b, long c, long d) {

    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static TokenDigest of(byte[] issuerPrefix, String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        digest.update(issuerPrefix);
        // Bearer tokens are ASCII (RFC 6750 b64token), checked before we get here.
        digest.update(token.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** The issuer followed by a separator byte that cannot occur in a URL, so issuer/token boundaries are unambiguous. */
    static byte[] prefix(String issuer) {
        byte[] bytes = issuer.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, prefix, 0, bytes.length);
        return prefix;
    }

    /** The digest's first bits are uniformly random already: no mixing needed (this runs on every cache lookup). */
    @Override
    public int hashCode() {
        return (int) (a ^ (a >>> 32));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenDigest digest && a == digest.a && b == digest.b && c == digest.c && d == digest.d;
    }

    @Override
    public String toString() {
        return "TokenDigest[" + Long.toHexString(a) + "...]";
    }
}
