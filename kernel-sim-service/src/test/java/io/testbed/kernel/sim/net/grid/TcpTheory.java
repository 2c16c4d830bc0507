package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.net.Segment;

/**
 * Closed forms for a bulk transfer from the remote host (QEMU's slirp TCP, a BSD sender) to the machine
 * (smoltcp 0.12 as a receiver) with a reader that always reads, derived from the two ends' rules, not
 * from the model's output. docs/MODEL.md "The network against analysis" gives each derivation.
 *
 * <p>Rules used:
 * <ul>
 *   <li>smoltcp {@code tcp.rs} 2080-2102 and 2218-2224: new data starts a delayed-ACK timer
 *       ({@code tcp.ack_delay_ms}); the ACK goes at once only when more than one MSS is unacknowledged
 *       (the second full segment).</li>
 *   <li>smoltcp {@code tcp.rs} 2232-2249: a pure window update only when the window has at least doubled
 *       since it was last advertised; a window that was advertised whole (the reader keeps up) never
 *       doubles, so a lone segment waits for the delayed-ACK timer.</li>
 *   <li>slirp {@code tcp_output.c} (BSD sender-side silly-window avoidance): a segment shorter than the
 *       MSS goes only if it is at least half the largest window the peer ever offered, or it ends the
 *       data. With the window W: below one MSS a W-byte segment goes (W ≥ W/2); from one MSS on, only
 *       full segments (the remainder W mod MSS &lt; MSS ≤ W/2 when W ≥ 2·MSS; W − MSS &lt; W/2 when W &lt; 2·MSS).</li>
 * </ul>
 */
public final class TcpTheory {
    /** An ACK or any frame shorter than 60 bytes is padded to the Ethernet minimum. */
    public static final int MIN_FRAME = 60;

    private TcpTheory() {
    }

    /** Wire bytes of a segment carrying {@code payload} bytes. */
    public static int wire(int payload) {
        return Math.max(MIN_FRAME, payload + Segment.HEADER_BYTES);
    }

    /** Payload bytes per second the link carries in full segments of {@code seg} bytes. */
    public static double linkRate(double bps, int seg) {
        return bps / 8 * seg / wire(seg);
    }

    /** Round trip of one segment of {@code seg} bytes and its ACK: two latencies and both serialisations. */
    public static double rtt(double latencyS, double bps, int seg) {
        return 2 * latencyS + (wire(seg) + MIN_FRAME) * 8 / bps;
    }

    /** Which closed form applies. */
    public enum Regime {
        /** W &lt; MSS: one W-byte segment per round trip, its ACK held for the delayed-ACK timer. */
        SUB_MSS,
        /** MSS ≤ W &lt; 2·MSS: one full segment per round trip (slirp will not send the remainder), ACK delayed. */
        ONE_SEGMENT,
        /** W ≥ 2·MSS: floor(W/MSS) full segments per round trip, ACKs every second segment. */
        WINDOW,
        /** The link is the bottleneck: full segments back to back. */
        BANDWIDTH
    }

    /** The prediction for one cell. */
    public record Prediction(double bytesPerSecond, Regime regime, double rttS) {
    }

    /**
     * @param window     the receive window the machine advertises (the socket's buffer, or the clamp)
     * @param mss        the sender's segment size
     * @param latencyS   one-way latency, seconds
     * @param bps        link bits per second
     * @param ackDelayS  smoltcp's delayed-ACK timer, seconds
     */
    public static Prediction predict(int window, int mss, double latencyS, double bps, double ackDelayS) {
        if (window < mss) {
            double r = rtt(latencyS, bps, window);
            return cap(window / (r + ackDelayS), Regime.SUB_MSS, r, bps, window);
        }
        double r = rtt(latencyS, bps, mss);
        if (window < 2 * mss) {
            return cap(mss / (r + ackDelayS), Regime.ONE_SEGMENT, r, bps, mss);
        }
        int k = window / mss;
        return cap((double) k * mss / r, Regime.WINDOW, r, bps, mss);
    }

    private static Prediction cap(double windowRate, Regime regime, double r, double bps, int seg) {
        double link = linkRate(bps, seg);
        return windowRate <= link ? new Prediction(windowRate, regime, r) : new Prediction(link, Regime.BANDWIDTH, r);
    }
}
