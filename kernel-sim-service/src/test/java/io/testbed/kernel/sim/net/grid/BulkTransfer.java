package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MemoryUpstreamConnector;

import java.util.Map;

/**
 * One raw TCP bulk transfer through a whole simulated machine (in-process binding, virtual clock, the
 * in-memory bulk server at {@code bulk.test:80}): a reader that always reads ({@code recvfrom} of up to
 * 64 KiB in a loop) receives n bytes, checks every byte, and records when each read returned.
 *
 * <p>Steady-state throughput is the least-squares slope of the delivered-bytes staircase c(t) over the
 * later part of the transfer (from the read that completes {@code skip}·n bytes to the last read). For a
 * periodic staircase over K periods, the slope's error is about rate/K² (the sawtooth's covariance with t
 * stays bounded per period), so 20 round trips give better than 0.3%: no phase alignment needed.
 */
public final class BulkTransfer {
    private BulkTransfer() {
    }

    /**
     * @param steadyBps payload bytes per simulated second in the steady part
     * @param tailBps   bytes over time in the same later part, a plain average (for lossy links, whose
     *                  staircase has long flats at timeouts)
     * @param wholeBps  payload bytes per simulated second from the first data byte to the last
     * @param counters  the machine's counters once settled (trace_hash, retransmits, segments lost...)
     */
    public record Result(long bytes, double steadyBps, double tailBps, double wholeBps, long firstNs, long lastNs, int reads,
                         Map<String, Long> counters) {
        public long traceHash() {
            return counters.getOrDefault("trace_hash", 0L);
        }

        public long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }
    }

    /** Runs one transfer of {@code n} bytes on a fresh machine with these overrides and seed. */
    public static Result run(SimFixture sim, Map<String, String> overrides, long n, long seed, double skip) throws Exception {
        Machine m = sim.registry.create("grid", "", overrides, Clock.CLOCK_VIRTUAL, seed);
        long[] times = new long[1024];
        long[] cum = new long[1024];
        int reads = 0;
        long got = 0;
        try (UserThread t = sim.kernel.attach(m.id(), "reader")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            long rc = t.connect(fd, "bulk.test", 80).getRet();
            if (rc != 0) {
                throw new IllegalStateException("connect failed: " + rc);
            }
            byte[] req = (n + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            t.sendto(fd, req, 0, req.length, 0);
            while (true) {
                SyscallReply r = t.recvfrom(fd, 1 << 16, 0);
                if (r.getRet() < 0 && r.getErrno() == Errno.EAGAIN) {
                    continue; // a polled stack (poller-thread) answers EAGAIN after its checks: read again at once
                }
                if (r.getRet() < 0) {
                    throw new IllegalStateException("recvfrom errno " + r.getErrno() + " after " + got + " bytes");
                }
                if (r.getRet() == 0) {
                    break;
                }
                byte[] d = r.getData().toByteArray();
                for (int i = 0; i < d.length; i++) {
                    if (d[i] != MemoryUpstreamConnector.expected(got + i)) {
                        throw new IllegalStateException("byte " + (got + i) + " corrupt");
                    }
                }
                got += d.length;
                if (reads == times.length) {
                    times = java.util.Arrays.copyOf(times, reads * 2);
                    cum = java.util.Arrays.copyOf(cum, reads * 2);
                }
                times[reads] = r.getExitTimeNs();
                cum[reads] = got;
                reads++;
            }
            t.close(fd);
        }
        MachineStats stats = SimFixture.settled(m);
        sim.registry.delete(m.id());
        if (got != n) {
            throw new IllegalStateException("received " + got + " of " + n);
        }
        int a = 0;
        while (a < reads - 1 && cum[a] < skip * n) {
            a++;
        }
        double steady = staircaseSlope(times, cum, a, reads - 1);
        double whole = (cum[reads - 1] - cum[0]) / ((times[reads - 1] - times[0]) / 1e9);
        double tail = (cum[reads - 1] - cum[a]) / ((times[reads - 1] - times[a]) / 1e9);
        return new Result(got, steady, tail, whole, times[0], times[reads - 1], reads, stats.getCountersMap());
    }

    /**
     * Least-squares slope (bytes per second) of the step function c(t) = cum[i] on [times[i], times[i+1]),
     * over [times[from], times[to]].
     */
    static double staircaseSlope(long[] times, long[] cum, int from, int to) {
        if (to <= from || times[to] == times[from]) {
            return Double.NaN;
        }
        double t0 = times[from];
        double sL = 0;
        double sT = 0;
        double sTT = 0;
        double sC = 0;
        double sTC = 0;
        for (int i = from; i < to; i++) {
            double u = (times[i] - t0) / 1e9;
            double v = (times[i + 1] - t0) / 1e9;
            double c = cum[i];
            double len = v - u;
            double tInt = (v * v - u * u) / 2;
            sL += len;
            sT += tInt;
            sTT += (v * v * v - u * u * u) / 3;
            sC += c * len;
            sTC += c * tInt;
        }
        return (sL * sTC - sT * sC) / (sL * sTT - sT * sT);
    }
}
