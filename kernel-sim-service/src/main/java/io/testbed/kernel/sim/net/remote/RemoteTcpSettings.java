package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.RemoteTcpKind;
import io.testbed.kernel.sim.config.Settings;

import java.util.Map;

/**
 * The {@code remote.*} settings of a machine, typed. Defaults are libslirp's constants (QEMU's user
 * network, the TCP Akuma's guest talked to); times in nanoseconds.
 *
 * @param kind           {@code remote.tcp}: slirp, smoltcp or simple
 * @param window         receive window the remote advertises (slirp: also capped by its receive buffer)
 * @param rtoNs          simple: retransmission timeout (doubling per retry)
 * @param mss            the remote's MSS before the client's offer (slirp: IF_MTU 1500 - 40)
 * @param sndBuffer      send socket buffer (slirp TCP_SNDSPACE; rounded up to an MSS multiple)
 * @param rcvBuffer      receive socket buffer (slirp TCP_RCVSPACE; rounded up to an MSS multiple)
 * @param initCwndSegments initial congestion window, in segments (slirp tcp_mss: one)
 * @param dupackThreshold duplicate ACKs that trigger a fast retransmit (TCPREXMTTHRESH)
 * @param slowTickNs     slirp's slow timer period (PR_SLOWHZ = 2: 500 ms)
 * @param ackDelayNs     slirp's fast timer: delayed ACK (TIMEOUT_FAST 2 ms)
 * @param rtoMinNs       lower RTO bound (TCPTV_MIN)
 * @param rtoMaxNs       upper RTO bound (TCPTV_REXMTMAX)
 * @param rtoInitialNs   RTO before any RTT sample
 * @param persistMinNs   lower persist interval bound (TCPTV_PERSMIN)
 * @param persistMaxNs   upper persist interval bound (TCPTV_PERSMAX)
 * @param backoffCap     largest factor of the backoff table tcp_backoff[]
 */
public record RemoteTcpSettings(RemoteTcpKind kind, int window, long rtoNs, int mss, int sndBuffer, int rcvBuffer,
                                int initCwndSegments, int dupackThreshold, long slowTickNs, long ackDelayNs,
                                long rtoMinNs, long rtoMaxNs, long rtoInitialNs, long persistMinNs,
                                long persistMaxNs, int backoffCap) {
    private static final long MS = 1_000_000L;

    public static RemoteTcpSettings of(MachineSettings settings) {
        Map<String, String> v = settings.values();
        return new RemoteTcpSettings(settings.get(Settings.REMOTE_TCP), settings.remoteWindow, settings.remoteRtoNs,
                Math.min(i(v, "remote.mss"), settings.mss), i(v, "remote.snd_buffer"), i(v, "remote.rcv_buffer"),
                i(v, "remote.init_cwnd_segments"), i(v, "remote.dupack_threshold"), l(v, "remote.slow_tick_ms") * MS,
                l(v, "remote.ack_delay_ms") * MS, l(v, "remote.rto_min_ms") * MS, l(v, "remote.rto_max_ms") * MS,
                l(v, "remote.rto_initial_ms") * MS, l(v, "remote.persist_min_ms") * MS,
                l(v, "remote.persist_max_ms") * MS, i(v, "remote.backoff_cap"));
    }

    private static long l(Map<String, String> v, String name) {
        return Long.parseLong(v.get(name));
    }

    private static int i(Map<String, String> v, String name) {
        return Math.toIntExact(l(v, name));
    }

    /** A buffer size rounded up to a whole number of segments, as slirp's tcp_mss does. */
    public int roundToMss(int size) {
        return size % mss == 0 ? size : size + mss - size % mss;
    }
}
