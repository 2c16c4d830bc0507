package io.testbed.bench.rtt;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.api.grpc.GrpcKernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One syscall round trip across two processes, as tls-client calls kernel-sim: starts {@link KernelProcess}
 * (a free port, so nothing collides with a running stack), then times {@code clock_gettime} through
 * {@link GrpcKernel} from this process, and reads both processes' user and system CPU from {@code /proc}
 * before and after, so the figures say what a call costs and not only how long it waits.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.testbed.bench.rtt.RoundTripProbe [samples] [rounds] [transports]}
 * (default 20000 samples after 5000 warm-up, 3 rounds, {@code tcp,uds}: one round of each in turn, so both see the
 * same load; {@code framed} is kernel-sim's framed socket through {@link FramedKernel}).
 */
public final class RoundTripProbe {

    private RoundTripProbe() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> transports = List.of((args.length > 2 ? args[2] : "tcp,uds").split(","));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"), KernelProcess.class.getName());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process kernel = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(kernel.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
                System.out.println("kernel: " + line);
            }
            if (line == null) {
                throw new IllegalStateException("the kernel process ended before it was ready");
            }
            String machine = field(line, "machine");
            List<Kernel> kernels = new ArrayList<>();
            try {
                for (String transport : transports) {
                    if ("framed".equals(transport)) {
                        kernels.add(new FramedKernel(Path.of(field(line, "framed")), null, Duration.ofSeconds(30), 2 << 20));
                        continue;
                    }
                    ManagedChannel channel = switch (transport) {
                        case "tcp" -> NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(field(line, "port")))
                                .usePlaintext().build();
                        case "uds" -> Grpc.newChannelBuilder("unix://" + field(line, "uds"), InsecureChannelCredentials.create())
                                .build();
                        default -> throw new IllegalArgumentException("transport '" + transport + "' is not tcp, uds or framed");
                    };
                    kernels.add(new GrpcKernel(channel, true, Duration.ofSeconds(30)));
                }
                for (int r = 1; r <= rounds; r++) {
                    for (int i = 0; i < transports.size(); i++) {
                        // a thread per round: one left idle in userspace would hold the virtual clock, then meet the watchdog
                        try (UserThread t = kernels.get(i).attach(machine, "probe-" + transports.get(i))) {
                            System.out.println(round(transports.get(i), t, samples, kernel.pid(), r));
                        }
                    }
                }
            } finally {
                kernels.forEach(Kernel::close);
            }
        } finally {
            kernel.getOutputStream().close();
            kernel.waitFor();
        }
    }

    static String round(String transport, UserThread t, int samples, long kernelPid, int round) throws IOException {
        for (int i = 0; i < samples / 4; i++) {
            t.clockGettime(Errno.CLOCK_MONOTONIC);
        }
        String load = load();
        long[] k0 = cpu(kernelPid);
        long[] c0 = cpu(ProcessHandle.current().pid());
        long kw0 = wakeUps(kernelPid);
        long cw0 = wakeUps(ProcessHandle.current().pid());
        long wall0 = System.nanoTime();
        long[] d = new long[samples];
        for (int i = 0; i < samples; i++) {
            long a = System.nanoTime();
            t.clockGettime(Errno.CLOCK_MONOTONIC);
            d[i] = System.nanoTime() - a;
        }
        double wall = (System.nanoTime() - wall0) / 1e3 / samples;
        long[] k1 = cpu(kernelPid);
        long[] c1 = cpu(ProcessHandle.current().pid());
        double kw = (wakeUps(kernelPid) - kw0) / (double) samples;
        double cw = (wakeUps(ProcessHandle.current().pid()) - cw0) / (double) samples;
        Arrays.sort(d);
        return String.format(Locale.ROOT, "%s round %d: p50 %.1f us, p90 %.1f, p99 %.1f, p99.9 %.1f, mean %.1f;"
                        + " CPU per call: kernel %.1f us (sys %.1f), client %.1f us (sys %.1f);"
                        + " voluntary context switches per call: kernel %.2f, client %.2f; load %s",
                transport, round, d[samples / 2] / 1e3, d[(int) (samples * 0.9)] / 1e3, d[(int) (samples * 0.99)] / 1e3,
                d[(int) (samples * 0.999)] / 1e3, wall,
                perCall(k1[0] + k1[1] - k0[0] - k0[1], samples), perCall(k1[1] - k0[1], samples),
                perCall(c1[0] + c1[1] - c0[0] - c0[1], samples), perCall(c1[1] - c0[1], samples), kw, cw, load);
    }

    private static double perCall(long ns, int samples) {
        return ns / 1e3 / samples;
    }

    /** User and system CPU of a process, ns ({@code /proc/<pid>/stat} fields 14 and 15, in clock ticks of 10 ms). */
    static long[] cpu(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
    }

    /**
     * Voluntary context switches of all a process's threads ({@code /proc/<pid>/task/<tid>/status}): each is a thread
     * that parked or waited for I/O and was woken again, i.e. a hand-off. Unlike CPU time, the machine's load barely
     * changes it.
     */
    static long wakeUps(long pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    for (String l : Files.readAllLines(task.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(l.substring(l.indexOf(':') + 1).strip());
                        }
                    }
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return sum;
    }

    static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in '" + line + "'");
    }
}
