package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.config.Settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell of the network grid: receive buffer, one-way latency, bandwidth, loss, jitter, and whether
 * Akuma's window clamp ({@code nic.max_burst_size}) is on. The settings put the machine in the
 * grid's conditions: interrupt-driven stack (the reader is woken the moment data lands), plenty of NIC
 * RX buffers, a large remote window, no per-packet CPU cost (the grid validates TCP, not the cost table).
 */
public record GridCell(String set, int buffer, long latencyUs, long kbps, long lossPpm, long jitterUs, boolean clamp) {
    /** The largest link.bandwidth_kbps the settings allow: the grid's "unlimited". */
    public static final long UNLIMITED_KBPS = 100_000_000;
    /** Per-packet CPU costs zeroed in the grid (scheduler pass, context switch and idle loop keep theirs). */
    static final String[] ZERO_COSTS = {"cost.syscall_ns", "cost.socket_check_ns", "cost.copy_per_kib_ns",
            "cost.poll_base_ns", "cost.poll_frame_ns"};

    public Map<String, String> overrides() {
        // the TCP model alone: the CPU model of the calibration (herd, the drifting tick, preemption windows) is
        // held at its pre-calibration settings, as every test about something else than the scheduler does
        Map<String, String> o = new LinkedHashMap<>(io.testbed.kernel.sim.LegacyModel.SETTINGS);
        o.put("socket.rx_buffer", Integer.toString(buffer));
        o.put("syscall.recv_cap", "65536");
        o.put("link.latency_us", Long.toString(latencyUs));
        o.put("link.bandwidth_kbps", Long.toString(kbps));
        o.put("link.loss_ppm", Long.toString(lossPpm));
        o.put("link.jitter_us", Long.toString(jitterUs));
        o.put("net.poll_mode", "irq-wakeup");
        o.put("nic.rx_buffers", "256");
        o.put("nic.queue", "4096");
        o.put("remote.window", Integer.toString(1 << 20));
        if (Settings.definitions().containsKey("remote.snd_buffer") && !clamp) {
            // slirp's 8 KiB send buffer (TCP_SNDSPACE) would cap every window above 8760 B: the open set lifts it
            o.put("remote.snd_buffer", Integer.toString(4 << 20));
        }
        for (String c : ZERO_COSTS) {
            o.put(c, "0");
        }
        if (Settings.definitions().containsKey("nic.max_burst_size")) {
            o.put("nic.max_burst_size", clamp ? Settings.definitions().get("nic.max_burst_size").defaultValue() : "0");
        }
        return o;
    }

    /** The window the machine advertises: its buffer, or smoltcp's clamp max_burst_size x (mtu - 40) when on. */
    public int window() {
        if (!clamp || !Settings.definitions().containsKey("nic.max_burst_size")) {
            return buffer;
        }
        int burst = Integer.parseInt(Settings.definitions().get("nic.max_burst_size").defaultValue());
        int mtu = Integer.parseInt(Settings.definitions().get("nic.mtu").defaultValue());
        return burst == 0 ? buffer : Math.min(buffer, burst * (mtu - 40));
    }

    public String key() {
        return String.format("%s,%d,%d,%d,%d,%d", set, buffer, latencyUs, kbps, lossPpm, jitterUs);
    }
}
