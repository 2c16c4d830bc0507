package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.RemoteTcpKind;
import io.testbed.kernel.sim.config.Settings;

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
    public static RemoteTcpSettings of(MachineSettings s) {
        return new RemoteTcpSettings(s.get(Settings.REMOTE_TCP), s.getInt(Settings.REMOTE_WINDOW), s.getLong(Settings.REMOTE_RTO_NS),
                Math.min(s.getInt(Settings.REMOTE_MSS), s.getInt(Settings.TCP_MSS)), s.getInt(Settings.REMOTE_SND_BUFFER),
                s.getInt(Settings.REMOTE_RCV_BUFFER), s.getInt(Settings.REMOTE_INIT_CWND_SEGMENTS),
                s.getInt(Settings.REMOTE_DUPACK_THRESHOLD), s.getLong(Settings.REMOTE_SLOW_TICK_NS),
                s.getLong(Settings.REMOTE_ACK_DELAY_NS), s.getLong(Settings.REMOTE_RTO_MIN_NS), s.getLong(Settings.REMOTE_RTO_MAX_NS),
                s.getLong(Settings.REMOTE_RTO_INITIAL_NS), s.getLong(Settings.REMOTE_PERSIST_MIN_NS),
                s.getLong(Settings.REMOTE_PERSIST_MAX_NS), s.getInt(Settings.REMOTE_BACKOFF_CAP));
    }

    /** A buffer size rounded up to a whole number of segments, as slirp's tcp_mss does. */
    public int roundToMss(int size) {
        return size % mss == 0 ? size : size + mss - size % mss;
    }
}
