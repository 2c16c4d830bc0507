package io.testbed.gateway.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.testbed.gateway.kernel.KernelStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where one download's simulated time went, from its thread's accounting in the simulated kernel
 * (seconds). The parts ({@link Part}) are disjoint and sum to {@link #total}, the thread's life from its
 * creation to its exit (or to the stats' time, for one still running):
 *
 * @param clientCpu     userspace CPU of the client, in all (the calibrated model charges it through
 *                      user_cpu_ns): {@code clientCpuTls + clientCpuPack + clientCpuOther()}
 * @param clientCpuTls  of it, the TLS library's work: handshakes, record decryption (user_cpu_tls_ns)
 * @param clientCpuPack of it, git's work: pkt-lines, pack parsing, inflate, deflate, SHA-1 (user_cpu_pack_ns)
 * @param fileIo        the kernel's file-system work on its behalf (sectors, bitmap scans, the FS lock)
 * @param kernel        the rest of its time on the core: syscalls, copies, scheduler passes, interrupts taken
 *                      while it held the core
 * @param sleeping      waiting for time: the nanosleeps after a would-block, up to the tick that woke it
 * @param ready         runnable but not scheduled (outside a socket read's wait for data)
 * @param networkSpin   inside a socket read with no data yet, on the core (Akuma's recvfrom yield loop)
 * @param networkReady  inside a socket read with no data yet, runnable while other threads ran
 * @param networkBlocked blocked on I/O (a blocking socket or poll)
 * @param offCpu        off the simulated CPU (live clock only: userspace running on the host)
 * @param total         the sum: the thread's life
 */
public record TimeSplit(double clientCpu, double clientCpuTls, double clientCpuPack, double fileIo, double kernel,
                        double sleeping, double ready, double networkSpin, double networkReady, double networkBlocked,
                        double offCpu, double total) {

    /**
     * A split whose client CPU has no kind (a kernel or a stored result from before the kinds): all of it
     * counts as other.
     */
    public TimeSplit(double clientCpu, double fileIo, double kernel, double sleeping, double ready, double networkSpin,
                     double networkReady, double networkBlocked, double offCpu, double total) {
        this(clientCpu, 0, 0, fileIo, kernel, sleeping, ready, networkSpin, networkReady, networkBlocked, offCpu, total);
    }

    /**
     * From JSON: a result stored before the kinds (the committed report, older database rows) has no
     * {@code clientCpuTls} or {@code clientCpuPack}; they read as 0, so all its client CPU is other.
     */
    @JsonCreator
    static TimeSplit fromJson(@JsonProperty("clientCpu") double clientCpu, @JsonProperty("clientCpuTls") Double clientCpuTls,
                              @JsonProperty("clientCpuPack") Double clientCpuPack, @JsonProperty("fileIo") double fileIo,
                              @JsonProperty("kernel") double kernel, @JsonProperty("sleeping") double sleeping,
                              @JsonProperty("ready") double ready, @JsonProperty("networkSpin") double networkSpin,
                              @JsonProperty("networkReady") double networkReady, @JsonProperty("networkBlocked") double networkBlocked,
                              @JsonProperty("offCpu") double offCpu, @JsonProperty("total") double total) {
        return new TimeSplit(clientCpu, clientCpuTls == null ? 0 : clientCpuTls, clientCpuPack == null ? 0 : clientCpuPack, fileIo,
                kernel, sleeping, ready, networkSpin, networkReady, networkBlocked, offCpu, total);
    }

    /** Of the client CPU, what is neither TLS nor pack work (and all of it when the kernel did not say). */
    @JsonProperty("clientCpuOther")
    public double clientCpuOther() {
        double other = clientCpu - clientCpuTls - clientCpuPack;
        // means of the parts are taken one by one: what is left of all-TLS-pack CPU can be a rounding residue
        // (the committed run showed -0.000 s); the kernel refuses parts above the total, so below a nanosecond is 0
        return other < 1e-9 ? 0 : other;
    }

    /**
     * The parts of a split, in display order: the label is the report's, the results page's and the charts'
     * legend, the column the CSV's, the component the Prometheus tag value of {@code gateway_download_time_seconds}.
     */
    public enum Part {
        CLIENT_CPU_TLS("client CPU: TLS", "t_client_cpu_tls_s", "client_cpu_tls", TimeSplit::clientCpuTls),
        CLIENT_CPU_PACK("client CPU: pack", "t_client_cpu_pack_s", "client_cpu_pack", TimeSplit::clientCpuPack),
        CLIENT_CPU_OTHER("client CPU: other", "t_client_cpu_other_s", "client_cpu_other", TimeSplit::clientCpuOther),
        FILE_IO("client file I/O", "t_file_io_s", "file_io", TimeSplit::fileIo),
        KERNEL("kernel work", "t_kernel_s", "kernel", TimeSplit::kernel),
        SLEEPING("sleeping after would-block", "t_sleeping_s", "sleeping", TimeSplit::sleeping),
        READY("runnable, not scheduled", "t_ready_s", "ready", TimeSplit::ready),
        NETWORK_SPIN("network wait: spinning in recvfrom", "t_net_spin_s", "network_spin", TimeSplit::networkSpin),
        NETWORK_READY("network wait: runnable in recvfrom", "t_net_ready_s", "network_ready", TimeSplit::networkReady),
        NETWORK_BLOCKED("network wait: blocked", "t_net_blocked_s", "network_blocked", TimeSplit::networkBlocked),
        OFF_CPU("off the simulated CPU", "t_off_cpu_s", "off_cpu", TimeSplit::offCpu);

        private final String label;
        private final String column;
        private final String component;
        private final ToDoubleFunction<TimeSplit> value;

        Part(String label, String column, String component, ToDoubleFunction<TimeSplit> value) {
            this.label = label;
            this.column = column;
            this.component = component;
            this.value = value;
        }

        public String label() {
            return label;
        }

        public String column() {
            return column;
        }

        /** The value of the {@code component} tag (lowercase, bounded: one per part). */
        public String component() {
            return component;
        }

        public double of(TimeSplit t) {
            return value.applyAsDouble(t);
        }
    }

    /** The split of a thread, or null if its kernel reported no state times (an older kernel). */
    public static TimeSplit of(KernelStats.ThreadStat t, long nowNs) {
        long running = t.runningNs();
        long life = (t.endedNs() > 0 ? t.endedNs() : nowNs) - t.bornNs();
        if (life <= 0 || running + t.readyNs() + t.sleepingNs() + t.ioWaitNs() + t.pollReadyNs() + t.pollRunningNs() == 0) {
            return null;
        }
        // userspace and file-system time are part of the running time outside socket waits; the TLS and pack
        // parts are parts of the userspace time (the kernel refuses a declaration where they are not)
        long user = Math.min(t.userCpuNs(), running);
        long tls = Math.min(Math.max(0, t.userCpuTlsNs()), user);
        long pack = Math.min(Math.max(0, t.userCpuPackNs()), user - tls);
        long fs = Math.min(t.fsNs(), running - user);
        long kernel = running - user - fs;
        double total = (running + t.readyNs() + t.sleepingNs() + t.ioWaitNs() + t.offCpuNs() + t.pollReadyNs() + t.pollRunningNs()) / 1e9;
        return new TimeSplit(user / 1e9, tls / 1e9, pack / 1e9, fs / 1e9, kernel / 1e9, t.sleepingNs() / 1e9, t.readyNs() / 1e9,
                t.pollRunningNs() / 1e9, t.pollReadyNs() / 1e9, t.ioWaitNs() / 1e9, t.offCpuNs() / 1e9, total);
    }

    /**
     * Each download's split, by tls-client id: its thread is the user thread named for it ({@link #ownedBy}; the
     * scratch client's two connections run on the same thread; several threads of one download are added up),
     * else the user threads in creation order.
     */
    public static Map<String, TimeSplit> ofDownloads(List<String> ids, KernelStats stats) {
        Map<String, TimeSplit> m = new java.util.HashMap<>();
        List<KernelStats.ThreadStat> users = new ArrayList<>(stats.threads().stream().filter(t -> "user".equals(t.kind()))
                .sorted(java.util.Comparator.comparingLong(KernelStats.ThreadStat::bornNs)).toList());
        List<String> unmatched = new ArrayList<>();
        for (String id : ids) {
            List<KernelStats.ThreadStat> own = users.stream().filter(t -> ownedBy(t, id)).toList();
            if (own.isEmpty()) {
                unmatched.add(id);
                continue;
            }
            users.removeAll(own);
            List<TimeSplit> parts = own.stream().map(t -> of(t, stats.nowNs())).filter(java.util.Objects::nonNull).toList();
            if (!parts.isEmpty()) {
                m.put(id, sum(parts));
            }
        }
        for (int i = 0; i < unmatched.size() && i < users.size(); i++) {
            TimeSplit s = of(users.get(i), stats.nowNs());
            if (s != null) {
                m.put(unmatched.get(i), s);
            }
        }
        return m;
    }

    /**
     * The split of one download on a machine others may share: only the user threads named for it
     * ({@link #ownedBy}) count (added up); null if none is or the kernel reported no state times.
     */
    public static TimeSplit ofDownload(String id, KernelStats stats) {
        List<TimeSplit> parts = stats.threads().stream().filter(t -> "user".equals(t.kind()) && ownedBy(t, id))
                .map(t -> of(t, stats.nowNs())).filter(java.util.Objects::nonNull).toList();
        return parts.isEmpty() ? null : sum(parts);
    }

    /**
     * Whether thread {@code t} is the thread of download {@code id} (tls-client's id, with or without its replica):
     * tls-client attaches it with its own id as the owner ({@code Attach.owner}, reported as
     * {@code ThreadStats.owner}), so the match is by id, never by name ({@code tc-1} is not {@code tc-10}).
     */
    public static boolean ownedBy(KernelStats.ThreadStat t, String id) {
        return id != null && !t.owner().isEmpty() && io.testbed.gateway.tlsclient.TlsClient.localId(id).equals(t.owner());
    }

    /** The parts by label, in display order. */
    public Map<String, Double> parts() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Part p : Part.values()) {
            m.put(p.label(), p.of(this));
        }
        return m;
    }

    /** The CSV's columns: the client CPU in all, then each part, then the total. */
    public static final List<String> COLUMNS = columns();

    private static List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add("t_client_cpu_s");
        for (Part p : Part.values()) {
            c.add(p.column());
        }
        c.add("t_total_s");
        return List.copyOf(c);
    }

    /** The values of {@link #COLUMNS}, in order. */
    public double[] values() {
        double[] v = new double[COLUMNS.size()];
        v[0] = clientCpu;
        for (Part p : Part.values()) {
            v[1 + p.ordinal()] = p.of(this);
        }
        v[v.length - 1] = total;
        return v;
    }

    private double[] components() {
        return new double[]{clientCpu, clientCpuTls, clientCpuPack, fileIo, kernel, sleeping, ready, networkSpin, networkReady,
                networkBlocked, offCpu, total};
    }

    private static TimeSplit fromComponents(double[] c) {
        return new TimeSplit(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
    }

    /** The mean of several splits, part by part; null for none. */
    public static TimeSplit mean(List<TimeSplit> splits) {
        if (splits.isEmpty()) {
            return null;
        }
        double[] sum = new double[12];
        for (TimeSplit s : splits) {
            double[] v = s.components();
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i] / splits.size();
            }
        }
        return fromComponents(sum);
    }

    /** The sum of several splits, part by part (the threads of one download). */
    static TimeSplit sum(List<TimeSplit> splits) {
        double[] sum = new double[12];
        for (TimeSplit s : splits) {
            double[] v = s.components();
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        return fromComponents(sum);
    }
}
