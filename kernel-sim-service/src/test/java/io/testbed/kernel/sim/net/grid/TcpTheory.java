package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.net.Segment;

/**
 * Closed forms for a bulk transfer from the remote host (QEMU's slirp TCP, a BSD sender) to the machine
 * (smoltcp 0.12 as a receiver) with a reader that always reads, derived from the two ends' rules, not
 * from the model's output. docs/MODEL.md "The network against analysis" gives each derivation.
 *
 * <p>The rules:
 * <ol>
 *   <li>smoltcp {@code tcp.rs} 2080-2102, 2218-2224: new data starts the delayed-ACK timer (d =
 *       {@code tcp.ack_delay_ms}); more than one MSS unacknowledged (a second full segment) sends the ACK
 *       at once. An ACK advertises the free buffer: W minus what the reader has not read yet.</li>
 *   <li>smoltcp {@code tcp.rs} 693-701, 2232-2249: a window update goes as soon as the window is at least
 *       twice what the peer still believes it has (last ACK + last window − RCV.NXT); checked at every
 *       poll, including the one a read triggers.</li>
 *   <li>slirp {@code tcp_output.c}: a segment shorter than the MSS goes only if it is at least half the
 *       largest window offered (or empties the send buffer, never here): below one MSS a W-byte segment
 *       goes; from one MSS on, only full segments — the remainder W mod MSS is stranded.</li>
 * </ol>
 * Consequences, with k = ⌊W/MSS⌋, RTT₀ two latencies plus one data and one ACK frame's serialisation, and
 * δ the reader's wake-up (a scheduler pass and a context switch):
 * <ul>
 *   <li>W &lt; 2·MSS: the window is all in one segment (W bytes below one MSS). The peer then believes
 *       it has W mod MSS &lt; W/2 left, so the read's window update releases the next segment: one segment
 *       per RTT₀ + δ; the delayed ACK never waits.</li>
 *   <li>BURST (the whole window lands before the reader wakes: (k−1)·frame time &lt; δ): every ACK in the
 *       burst advertises W minus the unread bytes, so the right edge stays put until the read's window
 *       update reopens all of it: k segments per RTT₀ + δ.</li>
 *   <li>SPREAD (the reader reads each segment before the next lands, frame time ≥ δ, and before the
 *       delayed-ACK timer runs out, frame time &lt; d): each ACK leaves at a segment's arrival, that
 *       segment unread, advertising W − MSS; slirp fills it with whole segments: ⌊(W − MSS)/MSS⌋
 *       segments per RTT₀.</li>
 *   <li>SLOW (frame time ≥ d: the timer runs out before the next segment): each segment is ACKed d after
 *       it lands, the reader long done, advertising W: k segments per RTT₀ + d.</li>
 * </ul>
 * and never more than the link: full segments back to back.
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

    /** Payload bytes per second the link carries in segments of {@code seg} bytes back to back. */
    public static double linkRate(double bps, int seg) {
        return bps / 8 * seg / wire(seg);
    }

    /** Round trip of one segment of {@code seg} bytes and its ACK: two latencies and both serialisations. */
    public static double rtt(double latencyS, double bps, int seg) {
        return 2 * latencyS + (wire(seg) + MIN_FRAME) * 8 / bps;
    }

    /** Which closed form applies. */
    public enum Regime {
        /** W &lt; MSS: one W-byte segment per RTT₀ + δ. */
        SUB_MSS,
        /** MSS ≤ W &lt; 2·MSS: one full segment per RTT₀ + δ. */
        ONE_SEGMENT,
        /** The window lands before the reader wakes: ⌊W/MSS⌋ segments per RTT₀ + δ. */
        BURST,
        /** The reader reads between segments: ⌊(W − MSS)/MSS⌋ segments per RTT₀. */
        SPREAD,
        /** The delayed-ACK timer runs out between segments: ⌊W/MSS⌋ segments per RTT₀ + d. */
        SLOW,
        /** Window clamp, buffer above two segments: one segment per RTT₀ + d (no window update). */
        DELAYED_ACK,
        /** The link is the bottleneck: full segments back to back. */
        BANDWIDTH
    }

    /** The prediction for one cell: bytes per second, the regime, the round trip it uses, segments per round. */
    public record Prediction(double bytesPerSecond, Regime regime, double rttS, int segmentsPerRound) {
    }

    /**
     * @param window    the receive window the machine advertises (the socket's buffer, or the clamp)
     * @param mss       the sender's segment size
     * @param latencyS  one-way latency, seconds
     * @param bps       link bits per second
     * @param ackDelayS smoltcp's delayed-ACK timer, seconds
     * @param wakeS     the reader's wake-up after the interrupt: a scheduler pass and a context switch
     */
    public static Prediction predict(int window, int mss, double latencyS, double bps, double ackDelayS, double wakeS) {
        if (window < 2 * mss) {
            int seg = Math.min(window, mss);
            double r = rtt(latencyS, bps, seg);
            return cap(seg / (r + wakeS), window < mss ? Regime.SUB_MSS : Regime.ONE_SEGMENT, r, 1, bps, seg);
        }
        double r = rtt(latencyS, bps, mss);
        double frame = wire(mss) * 8 / bps;
        int k = window / mss;
        if (frame >= ackDelayS) {
            return cap((double) k * mss / (r + ackDelayS), Regime.SLOW, r, k, bps, mss);
        }
        if ((k - 1) * frame < wakeS) {
            return cap((double) k * mss / (r + wakeS), Regime.BURST, r, k, bps, mss);
        }
        int spread = Math.max(1, (window - mss) / mss);
        return cap((double) spread * mss / r, Regime.SPREAD, r, spread, bps, mss);
    }

    /**
     * Akuma's window clamp (smoltcp {@code iface/packet.rs}: every advertised window at most
     * max_burst_size × (mtu − 40) = 1474 B): one segment s = min(W, MSS) per round. smoltcp decides window
     * updates on the unclamped buffer B (remote_last_win is recorded before the clamp), so the read's update
     * goes only if B/2 ≥ B − s, i.e. B ≤ 2s; otherwise the ACK waits for the delayed-ACK timer:
     * s / (RTT₀ + δ) when B ≤ 2s, s / (RTT₀ + d) when B &gt; 2s (the "about 140 KB/s" at 1 ms).
     */
    public static Prediction clamped(int buffer, int clamp, int mss, double latencyS, double bps, double ackDelayS, double wakeS) {
        int seg = Math.min(Math.min(buffer, clamp), mss);
        double r = rtt(latencyS, bps, seg);
        boolean update = buffer <= 2 * seg;
        return cap(seg / (r + (update ? wakeS : ackDelayS)), update ? Regime.ONE_SEGMENT : Regime.DELAYED_ACK, r, 1, bps, seg);
    }

    /**
     * The band every multi-segment window (k ≥ 4) keeps whatever its history: the read's window update
     * goes whenever the peer believes it has at most W/2 left, so at least ⌊W/(2·MSS)⌋ whole segments are
     * in flight per round trip, and never more than k.
     */
    public static double[] band(int window, int mss, double latencyS, double bps, double wakeS) {
        double r = rtt(latencyS, bps, mss) + wakeS;
        double link = linkRate(bps, mss);
        return new double[]{Math.min(link, Math.max(1, window / (2 * mss)) * (double) mss / r),
                Math.min(link, (window / mss) * (double) mss / (r - wakeS))};
    }

    private static Prediction cap(double windowRate, Regime regime, double r, int segments, double bps, int seg) {
        double link = linkRate(bps, seg);
        return windowRate <= link ? new Prediction(windowRate, regime, r, segments)
                : new Prediction(link, Regime.BANDWIDTH, r, segments);
    }
}
