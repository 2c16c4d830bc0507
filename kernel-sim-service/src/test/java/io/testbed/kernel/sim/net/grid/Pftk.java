package io.testbed.kernel.sim.net.grid;

/**
 * The PFTK model (Padhye, Firoiu, Towsley, Kurose, "Modeling TCP Throughput: A Simple Model and its
 * Empirical Validation", SIGCOMM 1998, equation 32): a Reno sender's throughput with triple-duplicate
 * loss indications and timeouts, capped by the largest window.
 * <pre>
 *   B = min( Wmax/RTT,  1 / ( RTT·sqrt(2bp/3) + T0·min(1, 3·sqrt(3bp/8))·p·(1 + 32p²) ) )   segments/s
 * </pre>
 * with b the segments acknowledged by one ACK (2 under delayed ACKs), p the probability that a segment
 * is lost, T0 the sender's retransmission timeout, Wmax the largest window in segments.
 */
public final class Pftk {
    private Pftk() {
    }

    /** Segments per second. */
    public static double segmentsPerSecond(double p, double rttS, double t0S, double b, double wmaxSegments) {
        double cap = wmaxSegments / rttS;
        if (p <= 0) {
            return cap;
        }
        double denom = rttS * Math.sqrt(2 * b * p / 3) + t0S * Math.min(1, 3 * Math.sqrt(3 * b * p / 8)) * p * (1 + 32 * p * p);
        return Math.min(cap, 1 / denom);
    }
}
