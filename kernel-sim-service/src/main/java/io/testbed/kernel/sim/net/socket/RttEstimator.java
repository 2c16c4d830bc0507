package io.testbed.kernel.sim.net.socket;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;

/**
 * smoltcp 0.12's RttEstimator (src/socket/tcp.rs:144-241): Jacobson/Karels smoothing in whole
 * milliseconds, one sample in flight at a time, Karn's rule (a retransmission cancels the sample), and
 * after three retransmissions without a sample the RTT estimate doubles. RTO = rtt + max(5, 4 x dev),
 * clamped to [min, max]. With {@code tcp.rto_model=fixed} it is instead the earlier model:
 * {@code tcp.rto_ms}, doubled per consecutive retransmission up to 60 s.
 */
public final class RttEstimator {
    /** smoltcp RTTE_MIN_MARGIN (tcp.rs:150). */
    static final int MIN_MARGIN_MS = 5;
    private static final long MS = 1_000_000L;
    private static final long FIXED_MAX_NS = 60_000_000_000L;

    private final boolean smoltcp;
    private final int minRto;
    private final int maxRto;
    private final long fixedNs;
    private int rtt;
    private int deviation;
    private boolean sampling;
    private long sampleSentAt;
    private long sampleSeq;
    private boolean anySent;
    private long maxSeqSent;
    private int rtoCount;
    private int fixedBackoff;
    private boolean anyAck;
    private long maxAck;

    public RttEstimator(MachineSettings s) {
        this(s.is(Settings.TCP_RTO_MODEL_SMOLTCP), s.getInt(Settings.TCP_RTT_INITIAL_MS), s.getInt(Settings.TCP_RTT_INITIAL_DEV_MS), s.getInt(Settings.TCP_RTO_MIN_MS), s.getInt(Settings.TCP_RTO_MAX_MS), s.getLong(Settings.TCP_RTO_NS));
    }

    RttEstimator(boolean smoltcp, int initialRttMs, int initialDevMs, int minRtoMs, int maxRtoMs, long fixedNs) {
        this.smoltcp = smoltcp;
        this.rtt = initialRttMs;
        this.deviation = initialDevMs;
        this.minRto = minRtoMs;
        this.maxRto = maxRtoMs;
        this.fixedNs = fixedNs;
    }

    /** The retransmission timeout, in nanoseconds (retransmission_timeout). */
    public long rtoNs() {
        if (!smoltcp) {
            return Math.min(fixedNs << Math.min(fixedBackoff, 30), FIXED_MAX_NS);
        }
        long margin = Math.max(MIN_MARGIN_MS, 4L * deviation);
        long ms = Math.max(minRto, Math.min(maxRto, rtt + margin));
        return ms * MS;
    }

    /** A segment ending at {@code seq} left at {@code now} (on_send): starts a sample if none is running. */
    public void onSend(long now, long seq) {
        if (!anySent || seq > maxSeqSent) {
            anySent = true;
            maxSeqSent = seq;
            if (!sampling) {
                sampling = true;
                sampleSentAt = now;
                sampleSeq = seq;
            }
        }
    }

    /** An acknowledgement up to {@code seq} arrived at {@code now} (on_ack). */
    public void onAck(long now, long seq) {
        if (sampling && seq >= sampleSeq) {
            sample((int) ((now - sampleSentAt) / MS));
            sampling = false;
        }
        if (!anyAck || seq > maxAck) {
            anyAck = true;
            maxAck = seq;
            fixedBackoff = 0; // the fixed model: new data acknowledged, back to tcp.rto_ms
        }
    }

    private void sample(int newRtt) {
        rtt = (rtt * 7 + newRtt + 7) / 8;
        int diff = Math.abs(rtt - newRtt);
        deviation = (deviation * 3 + diff + 3) / 4;
        rtoCount = 0;
    }

    /** A retransmission (on_retransmit): Karn's rule, and the estimate doubles after three in a row. */
    public void onRetransmit() {
        sampling = false;
        fixedBackoff++;
        rtoCount++;
        if (rtoCount >= 3) {
            rtoCount = 0;
            rtt = Math.min(maxRto, rtt * 2);
        }
    }

    /** The smoothed RTT estimate, milliseconds. */
    public int rttMs() {
        return rtt;
    }

    /** The RTT deviation estimate, milliseconds. */
    public int deviationMs() {
        return deviation;
    }
}
