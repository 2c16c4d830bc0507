package io.testbed.tls.client.scratch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A syscall-trace expectation file: one regular expression per trace line, {@code " {*}"} / {@code " {+}"}
 * suffixes for a line repeated 0+ / 1+ times, {@code repeat N {} ... {@code }} blocks, {@code //}
 * comments. {@link #mismatch} matches a whole trace (with backtracking) and says where it failed.
 */
final class TraceExpectation {
    private record Line(Pattern pattern, int min, boolean many, int source) {
    }

    private final List<Line> lines;

    private TraceExpectation(List<Line> lines) {
        this.lines = lines;
    }

    static TraceExpectation load(String resource) throws IOException {
        try (InputStream in = TraceExpectation.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            List<String> raw = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
            List<Line> out = new ArrayList<>();
            expand(raw, 0, raw.size(), out);
            return new TraceExpectation(out);
        }
    }

    private static void expand(List<String> raw, int from, int to, List<Line> out) {
        for (int i = from; i < to; i++) {
            String s = raw.get(i);
            if (s.isBlank() || s.startsWith("//")) {
                continue;
            }
            if (s.startsWith("repeat ") && s.endsWith(" {")) {
                int n = Integer.parseInt(s.substring(7, s.length() - 2).trim());
                int end = i + 1;
                while (!raw.get(end).equals("}")) {
                    end++;
                }
                for (int k = 0; k < n; k++) {
                    expand(raw, i + 1, end, out);
                }
                i = end;
                continue;
            }
            int min = 1;
            boolean many = false;
            if (s.endsWith(" {*}") || s.endsWith(" {+}")) {
                min = s.endsWith(" {*}") ? 0 : 1;
                many = true;
                s = s.substring(0, s.length() - 4);
            }
            out.add(new Line(Pattern.compile(s), min, many, i + 1));
        }
    }

    int size() {
        return lines.size();
    }

    /** Null when the trace matches; else where the longest match attempt stopped. */
    String mismatch(List<String> trace) {
        int[][] memo = new int[lines.size() + 1][trace.size() + 1];
        int[] best = {0, 0};
        if (match(0, 0, trace, memo, best)) {
            return null;
        }
        Line l = best[0] < lines.size() ? lines.get(best[0]) : null;
        return "trace line " + (best[1] + 1) + " '" + (best[1] < trace.size() ? trace.get(best[1]) : "<end>")
                + "' does not match expectation line " + (l == null ? "<end>" : l.source() + " '" + l.pattern() + "'")
                + "; trace around it: " + trace.subList(Math.max(0, best[1] - 3), Math.min(trace.size(), best[1] + 4));
    }

    private boolean match(int p, int t, List<String> trace, int[][] memo, int[] best) {
        if (t > best[1] || (t == best[1] && p > best[0])) {
            best[0] = p;
            best[1] = t;
        }
        if (memo[p][t] != 0) {
            return memo[p][t] > 0;
        }
        boolean ok;
        if (p == lines.size()) {
            ok = t == trace.size();
        } else {
            Line l = lines.get(p);
            if (!l.many()) {
                ok = t < trace.size() && l.pattern().matcher(trace.get(t)).matches() && match(p + 1, t + 1, trace, memo, best);
            } else {
                int end = t;
                while (end < trace.size() && l.pattern().matcher(trace.get(end)).matches()) {
                    end++;
                }
                ok = false;
                for (int k = end; k >= t + l.min() && !ok; k--) {
                    ok = match(p + 1, k, trace, memo, best);
                }
            }
        }
        memo[p][t] = ok ? 1 : -1;
        return ok;
    }
}
