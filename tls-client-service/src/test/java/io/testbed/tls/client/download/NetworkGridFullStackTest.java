package io.testbed.tls.client.download;

import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few cells of kernel-sim's network grid (docs/MODEL.md "The network against analysis") through the
 * full stack: a real TLS client (BouncyCastle, blocking reads) downloading pack-256k from the real git
 * server over a simulated machine in the grid's conditions. Its steady-state rate of TCP payload (TLS
 * records as recvfrom returns them) must be within 5% of the raw grid's figure for the same cell (the
 * golden CSV kernel-sim's NetworkGridTest keeps): TCP carries the same bytes whoever reads them. The
 * plaintext rate is lower by at most the TLS overhead the download measures (1 − bytes / TLS bytes: the
 * handshake, and 21 B of header and tag per record of up to 16 KiB), which must be all of the difference.
 */
@DisplayName("The network grid through the full stack")
class NetworkGridFullStackTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();
    static final Path GOLDEN = Path.of("../kernel-sim-service/src/test/resources/golden/network-grid.csv");
    static final double TOLERANCE = 0.05;

    /** The grid's conditions (kernel-sim's GridCell.overrides): interrupt-driven reader, no per-packet CPU cost. */
    static Map<String, String> overrides(int buffer, long latencyUs, long kbps, boolean clamp) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("socket.rx_buffer", Integer.toString(buffer));
        o.put("syscall.recv_cap", "65536");
        o.put("link.latency_us", Long.toString(latencyUs));
        o.put("link.bandwidth_kbps", Long.toString(kbps));
        o.put("net.poll_mode", "irq-wakeup");
        o.put("nic.rx_buffers", "256");
        o.put("nic.queue", "4096");
        o.put("remote.window", Integer.toString(1 << 20));
        if (!clamp) {
            o.put("remote.snd_buffer", Integer.toString(4 << 20));
        }
        for (String c : new String[]{"cost.syscall_ns", "cost.socket_check_ns", "cost.copy_per_kib_ns", "cost.poll_base_ns", "cost.poll_frame_ns"}) {
            o.put(c, "0");
        }
        o.put("nic.max_burst_size", clamp ? "1" : "0");
        return o;
    }

    /** The raw grid's steady-state figure for a cell, from the golden CSV. */
    static double rawFigure(String set, int buffer, long latencyUs, long kbps) throws Exception {
        String prefix = String.format("%s,%d,%d,%d,0,0,", set, buffer, latencyUs, kbps);
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.split(",")[9]);
            }
        }
        throw new IllegalStateException("no golden row " + prefix + " in " + GOLDEN.toAbsolutePath());
    }

    /** A kernel that records when each recvfrom returned and how many bytes. */
    static final class RecordingKernel implements Kernel {
        final Kernel delegate;
        final List<long[]> reads = new ArrayList<>();

        RecordingKernel(Kernel delegate) {
            this.delegate = delegate;
        }

        @Override
        public UserThread attach(String machineId, String threadName, String owner) {
            return new ForwardingUserThread(delegate.attach(machineId, threadName, owner)) {

                @Override
                public SyscallReply invoke(SyscallRequest.Builder request) {
                    SyscallReply r = super.invoke(request);
                    if (request.getCallCase() == SyscallRequest.CallCase.RECVFROM && r.getRet() > 0) {
                        synchronized (reads) {
                            reads.add(new long[]{r.getExitTimeNs(), r.getRet()});
                        }
                    }
                    return r;
                }
            };
        }

        @Override
        public void close() {
            delegate.close();
        }

        /** Least-squares slope of the received-bytes staircase after the first third of the bytes (as the raw grid measures). */
        double steadyBytesPerSecond() {
            long total = reads.stream().mapToLong(r -> r[1]).sum();
            long[] times = new long[reads.size()];
            long[] cum = new long[reads.size()];
            long c = 0;
            for (int i = 0; i < reads.size(); i++) {
                c += reads.get(i)[1];
                times[i] = reads.get(i)[0];
                cum[i] = c;
            }
            int a = 0;
            while (a < cum.length - 1 && cum[a] < total / 3) {
                a++;
            }
            double sL = 0, sT = 0, sTT = 0, sC = 0, sTC = 0;
            for (int i = a; i < times.length - 1; i++) {
                double u = (times[i] - times[a]) / 1e9;
                double v = (times[i + 1] - times[a]) / 1e9;
                double tInt = (v * v - u * u) / 2;
                sL += v - u;
                sT += tInt;
                sTT += (v * v * v - u * u * u) / 3;
                sC += cum[i] * (v - u);
                sTC += cum[i] * tInt;
            }
            return (sL * sTC - sT * sC) / (sL * sTT - sT * sT);
        }
    }

    @ParameterizedTest(name = "{0} window {1} B, {2} us, {3} kbit/s")
    @CsvSource({
            "open, 4096, 5000, 100000",
            "open, 16384, 20000, 100000",
            "open, 2048, 20000, 100000000",
            "clamp, 4096, 5000, 100000"})
    @DisplayName("pack-256k over TLS runs at the raw grid's TCP rate, less exactly the TLS record overhead")
    void fullStack_matchesRawGrid(String set, int buffer, long latencyUs, long kbps) throws Exception {
        double raw = rawFigure(set, buffer, latencyUs, kbps);
        String machine = SIM.create(SimulatedMachines.AKUMA, overrides(buffer, latencyUs, kbps, set.equals("clamp")));
        RecordingKernel kernel = new RecordingKernel(SIM.kernel());
        DownloadResult r;
        try {
            DownloadPlan plan = new DownloadPlan("grid-" + set + buffer, machine, "pack-256k", "git.testbed", 443, TlsEngines.get("bc"),
                    new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                    WouldBlockPolicies.create(PolicySpec.of("blocking")), 16384, FetchOptions.defaults("testbed-test/1"));
            r = Downloader.run(kernel, plan, new DownloadProgress(new IoStats()));
        } finally {
            SIM.delete(machine);
        }
        assertThat(r.error()).isNull();
        assertThat(r.pack().verified()).isTrue();
        double wire = kernel.steadyBytesPerSecond();
        double overhead = 1 - (double) r.bytes() / r.io().tlsBytes();
        double plaintext = wire * (1 - overhead);
        System.out.printf("full stack %s %d B %d us %d kbit/s: TCP payload %.0f B/s, raw grid %.0f B/s (%.3f); TLS overhead %.2f%%, "
                        + "plaintext %.0f B/s (%.3f of raw); whole download %.0f B/s%n", set, buffer, latencyUs, kbps, wire, raw, wire / raw,
                overhead * 100, plaintext, plaintext / raw, r.timing().throughputBytesPerSecond());
        assertThat(wire / raw).as("TCP payload rate under TLS / raw grid rate").isBetween(1 - TOLERANCE, 1 + TOLERANCE);
        // the whole download's TLS bytes over its plaintext: the handshake (certificates) and the HTTP exchange on
        // top of 21 B of header and tag per record of up to 16 KiB (measured 2.1% for pack-256k)
        assertThat(overhead).as("TLS bytes beyond the plaintext").isBetween(0.0, 0.03);
        assertThat(plaintext / raw).as("plaintext rate / raw grid rate").isBetween(1 - TOLERANCE - overhead, 1 + TOLERANCE);
    }
}
