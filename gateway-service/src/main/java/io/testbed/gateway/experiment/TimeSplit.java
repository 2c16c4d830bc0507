package io.testbed.gateway.experiment;

import io.testbed.gateway.kernel.KernelStats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one download's simulated time went, from its thread's accounting in the simulated kernel
 * (seconds). The parts are disjoint and sum to {@link #total}, the thread's life from its creation to
 * its exit (or to the stats' time, for one still running):
 *
 * @param clientCpu   userspace CPU of the client (TLS, git pack parsing, inflate, SHA-1; the calibrated
 *                    model charges it through user_cpu_ns)
 * @param fileIo      the kernel's file-system work on its behalf (sectors, bitmap scans, the FS lock)
 * @param kernel      the rest of its time on the core: syscalls, copies, scheduler passes, interrupts taken
 *                    while it held the core
 * @param sleeping    waiting for time: the nanosleeps after a would-block, up to the tick that woke it
 * @param ready       runnable but not scheduled (outside a socket read's wait for data)
 * @param networkSpin inside a socket read with no data yet, on the core (Akuma's recvfrom yield loop)
 * @param networkReady inside a socket read with no data yet, runnable while other threads ran
 * @param networkBlocked blocked on I/O (a blocking socket or poll)
 * @param offCpu      off the simulated CPU (live clock only: userspace running on the host)
 * @param total       the sum: the thread's life
 */
public record TimeSplit(double clientCpu, double fileIo, double kernel, double sleeping, double ready, double networkSpin,
                        double networkReady, double networkBlocked, double offCpu, double total) {

    /** The split of a thread, or null if its kernel reported no state times (an older kernel). */
    public static TimeSplit of(KernelStats.ThreadStat t, long nowNs) {
        long running = t.runningNs();
        long life = (t.endedNs() > 0 ? t.endedNs() : nowNs) - t.bornNs();
        if (life <= 0 || running + t.readyNs() + t.sleepingNs() + t.ioWaitNs() + t.pollReadyNs() + t.pollRunningNs() == 0) {
            return null;
        }
        // userspace and file-system time are part of the running time outside socket waits
        long user = Math.min(t.userCpuNs(), running);
        long fs = Math.min(t.fsNs(), running - user);
        long kernel = running - user - fs;
        double total = (running + t.readyNs() + t.sleepingNs() + t.ioWaitNs() + t.offCpuNs() + t.pollReadyNs() + t.pollRunningNs()) / 1e9;
        return new TimeSplit(user / 1e9, fs / 1e9, kernel / 1e9, t.sleepingNs() / 1e9, t.readyNs() / 1e9,
                t.pollRunningNs() / 1e9, t.pollReadyNs() / 1e9, t.ioWaitNs() / 1e9, t.offCpuNs() / 1e9, total);
    }

    /** The parts by name, in display order (the names are the CSV columns' and the charts' legend). */
    public Map<String, Double> parts() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("client CPU", clientCpu);
        m.put("client file I/O", fileIo);
        m.put("kernel work", kernel);
        m.put("sleeping after would-block", sleeping);
        m.put("runnable, not scheduled", ready);
        m.put("network wait: spinning in recvfrom", networkSpin);
        m.put("network wait: runnable in recvfrom", networkReady);
        m.put("network wait: blocked", networkBlocked);
        m.put("off the simulated CPU", offCpu);
        return m;
    }

    /** The column names of {@link #parts()} for a CSV. */
    public static final java.util.List<String> COLUMNS = java.util.List.of("t_client_cpu_s", "t_file_io_s", "t_kernel_s",
            "t_sleeping_s", "t_ready_s", "t_net_spin_s", "t_net_ready_s", "t_net_blocked_s", "t_off_cpu_s", "t_total_s");

    public double[] values() {
        return new double[]{clientCpu, fileIo, kernel, sleeping, ready, networkSpin, networkReady, networkBlocked, offCpu, total};
    }

    /** The mean of several splits, part by part; null for none. */
    public static TimeSplit mean(java.util.List<TimeSplit> splits) {
        if (splits.isEmpty()) {
            return null;
        }
        double[] sum = new double[10];
        for (TimeSplit s : splits) {
            double[] v = s.values();
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i] / splits.size();
            }
        }
        return new TimeSplit(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]);
    }
}
