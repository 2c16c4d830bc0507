package io.testbed.kernel.sim.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Akuma's kernel actions under QEMU TCG: for each {@code cost.*} setting a native estimate (ns on a
 * ~3.2 GHz Apple core, the code as Akuma builds it) with its range and source, all multiplied by one
 * fitted parameter, the TCG slowdown {@link #FITTED_TCG_FACTOR}, which C3 fixes (62.7 µs per
 * recv-loop iteration: a socket check, four passes and switches, the idle loop, a network poll and an
 * SSH session poll). The akuma-* profiles carry {@link #scaled(double)} of the fitted factor.
 */
public final class KernelCostTable {
    /**
     * The TCG factor fitted on C3 by {@code calibration.Calibration.fit()} (CalibrationTest checks that a re-fit
     * lands on it). tls-client's UserCostTable uses the same factor for userspace.
     */
    public static final double FITTED_TCG_FACTOR = 10.67;

    /** The fitted latency (µs); the akuma-* profiles carry it as {@code timer.irq_latency_us}. */
    public static final int FITTED_IRQ_LATENCY_US = 2_505;
    /**
     * The fitted cost of one 512-byte virtio-blk request under QEMU TCG (ns); the akuma-* profiles carry it as
     * {@code cost.sector_ns}. Fitted on C5 (issue 14: scratch's display at the end of the 255 KB download at
     * 92639fb0, 80 kbps) by tls-client's DownloadCalibrationTest, which needs the real git server and a TLS client.
     * Re-fitted on the merged model (smoltcp 0.12 without a clamp at 92639fb0, slirp remote): above the 5-100 us
     * estimate, because our git server sends 64 KiB side-band lines (4 pack writes where Akuma saw 62 of ~4 KB).
     */
    public static final long FITTED_SECTOR_NS = 115_600;

    /** One row: a setting, its native estimate and range (ns), and where the estimate comes from. */
    public record Entry(String setting, double nativeNs, double lowNs, double highNs, String origin) {
        public long ns(double factor) {
            return Math.round(nativeNs * factor);
        }
    }

    private KernelCostTable() {
    }

    public static List<Entry> entries() {
        return List.of(
                new Entry("cost.sched_pass_ns", 150, 80, 400, "POOL spinlock, wake pass and round-robin scan over 32 slots "
                        + "with SeqCst loads (src/threading.rs:1374-1480)"),
                new Entry("cost.context_switch_ns", 300, 150, 800, "switch_context (callee-saved registers), exception "
                        + "stack, TTBR0 write and TLB maintenance"),
                new Entry("cost.irq_entry_ns", 250, 100, 800, "exception entry/exit saving 31 registers, GIC IAR read and "
                        + "EOI write (MMIO to the emulated GIC)"),
                new Entry("cost.syscall_ns", 150, 80, 400, "SVC entry/exit and dispatch (src/exceptions.rs)"),
                new Entry("cost.socket_check_ns", 400, 200, 1_000, "with_socket_handle: state read, preemption and IRQs "
                        + "off, one embassy read poll, 4 KiB kernel buffer (src/socket.rs:785-821)"),
                new Entry("cost.copy_per_kib_ns", 60, 30, 150, "memcpy of 1 KiB (kernel buffer to user)"),
                new Entry("cost.poll_base_ns", 1_000, 500, 2_500, "one network-loop iteration with nothing to move: main "
                        + "runner, loopback x3, SSH accept future, deferred frees (src/main.rs:815-961)"),
                new Entry("cost.poll_frame_ns", 1_500, 700, 4_000, "per frame: virtio descriptor, device notify (a QEMU "
                        + "exit), smoltcp ingress/egress; TX busy-waits for completion"),
                new Entry("cost.idle_loop_ns", 60, 30, 150, "thread 0's idle iteration before its yield"),
                new Entry("cost.yield_spin_ns", 50, 25, 150, "100 spin_loop hints after a yield"),
                new Entry("cost.flush_poll_ns", 200, 100, 500, "one socket.flush() poll"),
                new Entry("cost.session_poll_ns", 800, 400, 2_000, "SSH block_on poll: drain the process channel, re-arm "
                        + "the 10 ms read timeout (CNTV reprogram), YieldOnce (src/ssh/server.rs:209-248)"),
                new Entry("cost.idle_cleanup_ns", 300, 150, 800, "cleanup_terminated over 31 slots, every 10th idle iteration"),
                new Entry("cost.herd_loop_ns", 5_000, 2_000, 20_000, "one herd loop: service checks and their syscalls"),
                new Entry("cost.ssh_accept_recreate_ns", 3_000, 1_500, 8_000, "abort and recreate the SSH listen socket"),
                new Entry("cost.echo_ns", 4_000, 2_000, 10_000, "an SSH session handling a keystroke: decrypt, echo, encrypt"));
    }

    /** The cost settings at TCG factor {@code factor}. */
    public static Map<String, String> scaled(double factor) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Entry e : entries()) {
            m.put(e.setting(), Long.toString(e.ns(factor)));
        }
        return m;
    }
}
