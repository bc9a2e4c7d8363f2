package org.mcpidp.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads wrk's text report ({@code --latency}): the figures both load drivers ({@link WrkLoad}, {@link EraLoad}) take
 * from it. A figure that must be there and is not fails with the whole output, so a changed wrk is seen at once.
 */
final class WrkOutput {

    static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");

    private WrkOutput() {
    }

    /** A latency percentile ({@code 50%}, {@code 99%}) of the latency distribution, in microseconds. */
    static long latencyMicros(String output, String label) {
        return micros(percentile(output, label));
    }

    /** The first group of {@code pattern}, which must match. */
    static String find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        return matcher.group(1);
    }

    /** The number in the first group of {@code pattern}; 0 when wrk printed no such line (it omits zero counts). */
    static long count(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static String percentile(String output, String label) {
        Matcher matcher = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + label + " latency in wrk output:\n" + output);
        }
        return matcher.group(1) + matcher.group(2);
    }

    private static long micros(String value) {
        if (value.endsWith("us")) {
            return Math.round(Double.parseDouble(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("ms")) {
            return Math.round(Double.parseDouble(value.substring(0, value.length() - 2)) * 1000);
        }
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1_000_000);
    }
}
