package org.mcpidp.downstream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The cache key of one exchange: SHA-256 of (issuer, subject token), the target audience and its sorted scopes. The
 * subject token itself is never kept, so a heap dump or a cache listing holds no usable credential.
 */
record ExchangeKey(long a, long b, long c, long d, String audience, List<String> scopes) {

    static ExchangeKey of(String issuer, String subjectToken, DownstreamTarget target) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(issuer.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0); // cannot occur in an issuer URL: issuer/token boundaries are unambiguous
        digest.update(subjectToken.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        return new ExchangeKey(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong(), target.audience(),
                target.scopes().stream().sorted().toList());
    }

    @Override
    public String toString() {
        return "ExchangeKey[" + Long.toHexString(a) + "..., audience=" + audience + ", scopes=" + scopes + "]";
    }
}
