import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the CPU samples of a JFR recording go (jdk.ExecutionSample), for docs/BENCHMARKS.md:
 * samples per thread, the top methods by self time, and the top methods by total time (anywhere on
 * the stack), optionally only for threads whose name matches a regex.
 *
 * <pre>java scripts/JfrTop.java recording.jfr [thread-regex] [top-n]</pre>
 */
public class JfrTop {
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: java scripts/JfrTop.java recording.jfr [thread-regex] [top-n]");
            return;
        }
        Pattern threads = Pattern.compile(args.length > 1 ? args[1] : ".*");
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int n = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            String group = thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "-N");
            byThread.merge(group, 1, Integer::sum);
            if (thread == null || !threads.matcher(thread).find()) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            n++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = name(f);
                if (seen.add(m)) {
                    total.merge(m, 1, Integer::sum);
                }
            }
        }
        int all = byThread.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%d samples in all; by thread (numbers folded):%n", all);
        print(byThread, all, 15);
        System.out.printf("%n%d samples in threads matching /%s/; top self:%n", n, threads);
        print(self, n, top);
        System.out.printf("%ntop total (method anywhere on the stack):%n");
        print(total, n, top);
    }

    private static String name(RecordedFrame f) {
        String c = f.getMethod().getType().getName();
        return c.substring(c.lastIndexOf('.', c.lastIndexOf('.') - 1) + 1) + "." + f.getMethod().getName();
    }

    private static void print(Map<String, Integer> m, int n, int top) {
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, n), e.getValue(), e.getKey()));
    }
}
