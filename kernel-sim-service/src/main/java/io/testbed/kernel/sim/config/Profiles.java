package io.testbed.kernel.sim.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named bundles of settings describing Akuma at a point in time, each naming its commit
 * ({@link #describe}). Every {@code akuma-*} profile carries the calibrated QEMU TCG kernel cost table
 * ({@link #CALIBRATED_COSTS}, docs/MODEL.md "Calibration") and differs from the seed's commit only where
 * AKUMA_FACTS §9 lists a difference.
 * <ul>
 *   <li>{@code akuma-2026-01-31} = {@code akuma-7b52ac2}: the code at the seed's commit (ratio 4, network
 *       thread in slot 1 while slot 0 loops idle, 50 EAGAIN iterations, wfi sleeps, 4 KiB buffers,
 *       10 ms delayed ACK, one RX buffer). The default.</li>
 *   <li>{@code seed-doc}: as the seed document describes it (network thread is thread 0, ratio 2).</li>
 *   <li>{@code akuma-2026-02-09}: ratio 2 and 500 EAGAIN iterations (kept as it was; the faithful
 *       profile of that code is {@code akuma-8316ebe}).</li>
 *   <li>one profile per code state: {@code akuma-ca9339d}, {@code akuma-8addd902}, {@code akuma-9528e2a},
 *       {@code akuma-22de838}, {@code akuma-8316ebe}, {@code akuma-9a4fcd8a}, {@code akuma-92639fb0},
 *       {@code akuma-a3b9e271} (write_at), {@code akuma-9df5b7c4} (read_at). File system per code state
 *       (docs/MODEL.md "File system"): the defaults to 7b52ac2, {@code mm.munmap=free} from 9528e2a7,
 *       {@code fs.openat=trunc-only} from 9a4fcd8a.</li>
 * </ul>
 */
public final class Profiles {
    public static final String DEFAULT = "akuma-2026-01-31";

    /** A profile's identity: the commit of Akuma's code it describes, its date, and what differs. */
    public record Info(String name, String commit, String date, String description) {
    }

    /**
     * The kernel cost table under QEMU TCG: cost.* values fitted on C3 (the kernel CPU scale) and the
     * timer latency fitted on C1 (see the calibration harness, CalibrationRun, and docs/MODEL.md).
     */
    public static final Map<String, String> CALIBRATED_COSTS = calibratedCosts();

    private static final Map<String, Map<String, String>> PROFILES = new LinkedHashMap<>();
    private static final Map<String, Info> INFO = new LinkedHashMap<>();

    static {
        Map<String, String> seed = CALIBRATED_COSTS;
        add(DEFAULT, "7b52ac2", "2026-01-31", "the seed's commit: ratio 4 boosting idle thread 0, network thread in slot 1, "
                + "50 EAGAIN iterations, wfi sleeps, 4 KiB sockets, 10 ms delayed ACK, herd, relative timer", seed);
        add("seed-doc", "7b52ac2 (doc)", "2026-01-31", "as docs/TLS_DOWNLOAD_PERFORMANCE.md describes it: the network "
                + "loop is thread 0, ratio 2 (the code at that commit has neither)",
                with(seed, "net.poller_slot", "0", "sched.network_thread_ratio", "2"));
        add("akuma-2026-02-09", "8316ebe (partial)", "2026-02-09", "ratio 2 and 500 EAGAIN iterations only "
                + "(the earlier profile of that date; akuma-8316ebe is the faithful one)",
                with(seed, "sched.network_thread_ratio", "2", "syscall.eagain_iterations", "500"));
        add("akuma-ca9339d", "ca9339d", "2026-01-17", "C1's code state: plain round robin with no boost, the network "
                + "loop on a system thread in slot 1 (COOPERATIVE_MAIN_THREAD false), idle thread 0 without the cleanup, "
                + "no herd; no socket syscalls existed yet",
                with(seed, "sched.policy", "round-robin", "threads.herd", "off", "threads.idle_cleanup", "off"));
        add("akuma-8addd902", "8addd902", "2026-01-30", "C3's code state: plain round robin (no ratio boost yet), "
                + "recvfrom polls up to 100,000 times, then ETIMEDOUT, herd",
                with(seed, "sched.policy", "round-robin", "syscall.eagain_iterations", "100000", "syscall.recv_giveup", "etimedout"));
        add("akuma-7b52ac2", "7b52ac2", "2026-01-31", "the seed's commit (same as akuma-2026-01-31)", seed);
        Map<String, String> munmap = with(seed, "mm.munmap", "free");
        add("akuma-9528e2a", "9528e2a7", "2026-02-01", "kernel as at the seed (munmap implemented); the TLS transport's "
                + "read sleeps 10 ms again (a client setting)", munmap);
        Map<String, String> cursor = with(munmap, "sched.round_robin_from", "cursor");
        add("akuma-22de838", "22de8385", "2026-02-01", "round robin from a global cursor over READY threads, boosts do "
                + "not move it", cursor);
        Map<String, String> ratio2 = with(cursor, "sched.network_thread_ratio", "2", "syscall.eagain_iterations", "500");
        add("akuma-8316ebe", "8316ebea", "2026-02-09", "ratio 2, EAGAIN after 500 iterations, the cursor, recvfrom blocks "
                + "on a per-thread waker with a 1 s deadline (sendto, accept and block_on still yield here)",
                with(ratio2, "syscall.recv_wait", "waker"));
        // smoltcp driven directly: Akuma's own virtio Device reports default capabilities (no max_burst_size, so no
        // window clamp; src/smoltcp_net.rs:171-175 @9a4fcd8a) and the sockets turn Nagle off (AKUMA_FACTS 9)
        Map<String, String> smol = with(ratio2, "socket.rx_buffer", "65536", "socket.tx_buffer", "65536", "fs.openat", "trunc-only",
                "nic.max_burst_size", "0", "tcp.nagle", "disabled");
        add("akuma-9a4fcd8a", "9a4fcd8a", "2026-02-12", "smoltcp 0.12 used directly: 64 KiB socket buffers, no window clamp, "
                + "Nagle off, delayed ACK 10 ms (the one-poll main loop is not a separate setting)", smol);
        add("akuma-92639fb0", "92639fb0", "2026-02-12", "as 9a4fcd8a with the delayed ACK disabled (the 64-poll drain "
                + "of the main loop is not a separate setting)", with(smol, "tcp.ack_delay_ms", "0"));
        // issue 14: the file system's fixes, on 92639fb0's network and scheduler
        Map<String, String> writeAt = with(smol, "tcp.ack_delay_ms", "0", "fs.write", "write-at");
        add("akuma-a3b9e271", "a3b9e271", "2026-02-12", "as 92639fb0 with write() as ext2 write_at: only the touched "
                + "blocks are written (src/syscall.rs:169, src/vfs/ext2.rs:1179)", writeAt);
        add("akuma-9df5b7c4", "9df5b7c4", "2026-02-14", "as a3b9e271 with read() as read_at: only the blocks asked for, "
                + "at most 64 KiB per call (src/syscall.rs:162)", with(writeAt, "fs.read", "read-at"));
    }

    private Profiles() {
    }

    private static Map<String, String> calibratedCosts() {
        Map<String, String> m = new LinkedHashMap<>(KernelCostTable.scaled(
                KernelCostTable.FITTED_TCG_FACTOR));
        m.put("timer.irq_latency_us", Integer.toString(KernelCostTable.FITTED_IRQ_LATENCY_US));
        m.put("cost.sector_ns", Long.toString(KernelCostTable.FITTED_SECTOR_NS));
        return Map.copyOf(m);
    }

    private static void add(String name, String commit, String date, String description, Map<String, String> bundle) {
        PROFILES.put(name, bundle);
        INFO.put(name, new Info(name, commit, date, description));
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    public static Set<String> names() {
        return PROFILES.keySet();
    }

    /**
     * The commit, date and description of a profile.
     *
     * @throws IllegalArgumentException for an unknown profile
     */
    public static Info describe(String profile) {
        String name = profile == null || profile.isBlank() ? DEFAULT : profile.trim();
        Info info = INFO.get(name);
        if (info == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known profiles: " + PROFILES.keySet());
        }
        return info;
    }

    /** Every profile's identity, in definition order. */
    public static List<Info> all() {
        return List.copyOf(INFO.values());
    }

    /** The settings a profile changes from the defaults. */
    public static Map<String, String> bundle(String profile) {
        return Map.copyOf(PROFILES.get(describe(profile).name()));
    }

    /**
     * The effective settings of a profile plus overrides.
     *
     * @throws IllegalArgumentException for an unknown profile or a bad override
     */
    public static MachineSettings resolve(String profile, Map<String, String> overrides) {
        String name = profile == null || profile.isBlank() ? DEFAULT : profile.trim();
        Map<String, String> bundle = PROFILES.get(name);
        if (bundle == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known profiles: " + PROFILES.keySet());
        }
        Map<String, String> values = Settings.apply(Settings.defaults(), bundle);
        values = Settings.apply(values, overrides == null ? Map.of() : overrides);
        return new MachineSettings(name, values);
    }
}
