package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;

/**
 * QEMU's user network (libslirp) as the remote TCP: the 4.4BSD-derived code of {@code src/tcp_input.c},
 * {@code tcp_output.c} and {@code tcp_timer.c}. Modelled: slow start from one segment and congestion
 * avoidance, fast retransmit after three duplicate ACKs with window inflation and deflation, the RTT
 * estimator in slow-timer ticks (500 ms) with its RTO bounds and backoff table, the persist timer, the
 * delayed ACK of the fast timer, the restart of slow start after an idle RTO, and the 8 KiB socket
 * buffers (the send buffer holds everything unacknowledged; the server is read only while it is less
 * than half full). Not modelled: the reassembly queue for the client's out-of-order data (dropped and
 * ACKed at once; the client's requests are small), urgent data, keep-alive, TIME_WAIT, the halving of
 * the MSS after twelve retransmissions. Sequence numbers are stream offsets ({@link Segment}); a FIN
 * takes the offset after the data. See docs/MODEL.md for each rule and its source line.
 */
public final class SlirpTcp implements RemoteTcp {
    private static final int MAXRXTSHIFT = 12;       // tcp_timer.h TCP_MAXRXTSHIFT
    private static final int MAXWIN = 65_535;        // tcp.h TCP_MAXWIN (libslirp does no window scaling)

    private enum State { LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED }

    private final long conn;
    private final RemoteTcpSettings cfg;
    private final EventQueue events;
    private final Link downlink;
    private final Host host;
    private final int mss;
    private final int sndBufSize;
    private final int rcvWindow;
    private NetEvents netEvents = NetEvents.NONE;
    private State state = State.LISTEN;

    // send side (tcp_var.h)
    private final ByteQueue sb;
    private long sndUna;
    private long sndNxt;
    private long sndMax;
    private int sndWnd;
    private int maxSndWnd;
    private long sndWl1 = Long.MIN_VALUE;
    private long sndWl2 = Long.MIN_VALUE;
    private long cwnd;
    private long ssthresh = (long) MAXWIN << 14;
    private int dupacks;
    private boolean eof;
    private boolean finAcked;
    private boolean force;
    private boolean synAcked;
    private int ackedPending;

    // receive side
    private long rcvNxt;
    private boolean clientFin;
    private boolean ackNow;
    private boolean delack;

    // timers, in slow-timer ticks like t_timer[], t_rtt, t_srtt (x8), t_rttvar (x4)
    private Event rexmt;
    private Event persist;
    private Event fastTimer;
    private int rxtshift;
    private int rxtcur;
    private int srtt;
    private int rttvar;
    private boolean timing;
    private long rtseq;
    private long rttStart;
    private long lastInput;
    private long retransmits;

    public SlirpTcp(long conn, RemoteTcpSettings cfg, EventQueue events, Link downlink, Host host) {
        this.conn = conn;
        this.cfg = cfg;
        this.events = events;
        this.downlink = downlink;
        this.host = host;
        this.mss = cfg.mss();
        this.sndBufSize = cfg.roundToMss(cfg.sndBuffer());
        this.rcvWindow = Math.min(MAXWIN, Math.min(cfg.window(), cfg.roundToMss(cfg.rcvBuffer())));
        this.sb = new ByteQueue(sndBufSize);
        this.cwnd = (long) cfg.initCwndSegments() * mss;
        this.rttvar = 3 * 2 << 2;             // TCPTV_SRTTDFLT << 2 (tcp_subr.c)
        this.rxtcur = ticks(cfg.rtoInitialNs());
    }

    public void reportTo(NetEvents events) {
        this.netEvents = events;
    }

    // ---- the slow timer's ticks ----

    private int ticks(long ns) {
        return (int) Math.max(1, (ns + cfg.slowTickNs() - 1) / cfg.slowTickNs());
    }

    private long tickIndex(long t) {
        return t / cfg.slowTickNs();
    }

    /** A timer set to {@code n} ticks now reaches zero at the n-th slow timeout from now (tcp_slowtimo). */
    private Event armTicks(int n, Runnable action) {
        long at = (tickIndex(events.now()) + n) * cfg.slowTickNs();
        return events.schedule(at, Event.CLASS_PROTOCOL, action);
    }

    private static void cancel(Event e) {
        if (e != null) {
            e.cancel();
        }
    }

    private void cancelRexmt() {
        cancel(rexmt);
        rexmt = null;
    }

    private void cancelPersist() {
        cancel(persist);
        persist = null;
    }

    private int rexmtVal() {
        return (srtt >> 3) + rttvar; // TCP_REXMTVAL
    }

    private int clampTicks(int t, long minNs, long maxNs) {
        return Math.max(ticks(minNs), Math.min(ticks(maxNs), t));
    }

    private int backoff(int shift) {
        return Math.min(1 << shift, cfg.backoffCap()); // tcp_backoff[]: 1, 2, 4, .. 64, 64
    }

    // ---- RemoteTcp ----

    @Override
    public void input(Segment s) {
        if (state == State.CLOSED) {
            return;
        }
        lastInput = events.now(); // t_idle = 0
        if (s.has(Segment.RST)) {
            closeTimers();
            state = State.CLOSED;
            host.aborted();
            return;
        }
        if (s.has(Segment.SYN)) {
            synReceived(s);
            return;
        }
        if (state != State.ESTABLISHED) {
            return;
        }
        boolean predicted = s.has(Segment.ACK) && s.ack() == sndUna && s.wnd() == sndWnd && sndNxt == sndMax
                && !s.has(Segment.FIN);
        if (s.has(Segment.ACK) && !ackProcessing(s)) {
            return; // a duplicate ACK consumed by fast retransmit/recovery ("goto drop")
        }
        if (state == State.CLOSED) {
            return;
        }
        updateWindow(s);
        receiveData(s, predicted);
        output();
        armFastTimer();
        if (finAcked && clientFin) {
            closeTimers();
            state = State.CLOSED;
        }
        if (ackedPending > 0) {
            int n = ackedPending;
            ackedPending = 0;
            host.acked(n); // after this segment is processed: the host may refill the buffer at once
        }
    }

    private void synReceived(Segment s) {
        if (state == State.LISTEN) {
            sndWnd = s.wnd();
            maxSndWnd = sndWnd;
            state = State.SYN_RECEIVED;
            host.connectRequested();
        } else if (state == State.ESTABLISHED && !synAcked) {
            // the client repeats its SYN: our SYN-ACK was lost; answer it again
            sendSynAck();
        }
    }

    /**
     * The ACK half of tcp_input (tcp_input.c "case TCPS_ESTABLISHED"): duplicate ACKs, fast retransmit
     * and recovery, RTT sample, retransmission timer, congestion window growth. Returns false if the
     * segment is consumed here.
     */
    private boolean ackProcessing(Segment s) {
        long ack = s.ack();
        if (!synAcked && ack >= 0) {
            // the handshake's ACK: SYN-RECEIVED -> ESTABLISHED ("synrx_to_est") opens cwnd by one segment and
            // gives the first RTT sample (the SYN-ACK was timed)
            synAcked = true;
            cwnd = Math.min(cwnd + mss, MAXWIN);
            if (timing) {
                xmitTimer((int) (1 + tickIndex(events.now()) - tickIndex(rttStart)));
            }
        }
        if (ack <= sndUna) {
            if (s.length() == 0 && s.wnd() == sndWnd) {
                return duplicateAck(ack);
            }
            dupacks = 0;
            return true;
        }
        if (dupacks > cfg.dupackThreshold() && cwnd > ssthresh) {
            cwnd = ssthresh; // deflate the window inflated during recovery
        }
        dupacks = 0;
        long end = sndMax;
        if (ack > end) {
            ackNow = true; // acknowledges what we never sent: "dropafterack"
            output();
            return false;
        }
        if (timing && ack > rtseq) {
            xmitTimer((int) (1 + tickIndex(events.now()) - tickIndex(rttStart)));
        }
        if (ack >= end) {
            cancelRexmt();
        } else if (persist == null) {
            cancelRexmt();
            rexmt = armTicks(rxtcur, this::onRexmt);
        }
        long incr = mss;
        if (cwnd > ssthresh) {
            incr = (long) mss * mss / cwnd; // congestion avoidance: one segment per window
        }
        cwnd = Math.min(cwnd + incr, MAXWIN);
        int dataAcked = (int) Math.min(ack - sndUna, sb.size());
        if (ack - sndUna > sb.size()) {
            finAcked = true;
        }
        sb.discard(dataAcked);
        sndWnd = (int) Math.max(0, sndWnd - (ack - sndUna)); // the right edge stays until the window update
        sndUna = ack;
        if (sndNxt < sndUna) {
            sndNxt = sndUna;
        }
        ackedPending += dataAcked;
        return true;
    }

    private boolean duplicateAck(long ack) {
        if (rexmt == null || ack != sndUna) {
            dupacks = 0;
            return true;
        }
        int threshold = cfg.dupackThreshold();
        if (++dupacks == threshold) {
            long onxt = sndNxt;
            long win = Math.max(2, Math.min(sndWnd, cwnd) / 2 / mss);
            ssthresh = win * mss;
            cancelRexmt();
            timing = false;
            sndNxt = ack;
            cwnd = mss;
            retransmits++;
            netEvents.retransmit("remote");
            output();
            cwnd = ssthresh + (long) mss * dupacks;
            if (onxt > sndNxt) {
                sndNxt = onxt;
            }
            return false;
        } else if (dupacks > threshold) {
            cwnd += mss; // each further duplicate: a segment has left the network
            output();
            return false;
        }
        return true;
    }

    /** tcp_input.c step 6: take the window from the newest segment (snd_wl1/snd_wl2). */
    private void updateWindow(Segment s) {
        if (!s.has(Segment.ACK)) {
            return;
        }
        if (sndWl1 < s.seq() || (sndWl1 == s.seq() && (sndWl2 < s.ack() || (sndWl2 == s.ack() && s.wnd() > sndWnd)))) {
            sndWnd = s.wnd();
            sndWl1 = s.seq();
            sndWl2 = s.ack();
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
        }
    }

    /** In-order data is delivered; slirp ACKs at once on its fast path, else sets TF_DELACK (TCP_REASS). */
    private void receiveData(Segment s, boolean predicted) {
        int len = s.length();
        if (len > 0) {
            if (s.seq() == rcvNxt && !clientFin) {
                rcvNxt += len;
                host.delivered(s.data());
                if (predicted) {
                    ackNow = true; // header prediction: "It is better to not delay acks at all"
                } else {
                    delack = true;
                }
            } else {
                ackNow = true; // out of order or duplicate: ACK at once (so fast retransmit can work)
            }
        }
        if (s.has(Segment.FIN) && s.seq() + len == rcvNxt && !clientFin) {
            clientFin = true;
            ackNow = true;
            host.clientFinished();
        }
    }

    /** Collects an RTT sample (tcp_xmit_timer): smoothed RTT x8 and variance x4, in ticks. */
    private void xmitTimer(int rtt) {
        if (srtt != 0) {
            int delta = rtt - 1 - (srtt >> 3);
            srtt = Math.max(1, srtt + delta);
            delta = Math.abs(delta) - (rttvar >> 2);
            rttvar = Math.max(1, rttvar + delta);
        } else {
            srtt = rtt << 3;
            rttvar = rtt << 1;
        }
        timing = false;
        rxtshift = 0;
        rxtcur = clampTicks(rexmtVal(), cfg.rtoMinNs(), cfg.rtoMaxNs());
    }

    @Override
    public void accept() {
        if (state != State.SYN_RECEIVED) {
            return;
        }
        state = State.ESTABLISHED;
        sendSynAck();
        timing = true; // the SYN-ACK is timed (tcp_output: snd_max advanced)
        rttStart = events.now();
        rtseq = -1;
    }

    private void sendSynAck() {
        downlink.send(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, rcvWindow), events.now());
    }

    @Override
    public void refuse() {
        if (state == State.CLOSED) {
            return;
        }
        if (state != State.LISTEN) {
            downlink.send(Segment.control(conn, Segment.RST | Segment.ACK, sndMax, ackValue(), 0), events.now());
        }
        closeTimers();
        state = State.CLOSED;
    }

    /** sopreprbuf and slirp_pollfds_fill: read the server only while the buffer is under half full, in whole segments. */
    @Override
    public int sendSpace() {
        if (state != State.ESTABLISHED || eof || sb.size() >= sndBufSize / 2) {
            return 0;
        }
        int space = sndBufSize - sb.size();
        return space > mss ? space - space % mss : space;
    }

    @Override
    public void send(byte[] data) {
        if (state != State.ESTABLISHED || eof) {
            return;
        }
        sb.append(data, 0, data.length);
        output();
    }

    @Override
    public void push() {
        output();
    }

    @Override
    public void finish() {
        if (state == State.CLOSED || eof) {
            return;
        }
        eof = true;
        output();
    }

    @Override
    public void close() {
        closeTimers();
        state = State.CLOSED;
    }

    private void closeTimers() {
        cancelRexmt();
        cancelPersist();
        cancel(fastTimer);
        fastTimer = null;
    }

    @Override
    public boolean closed() {
        return state == State.CLOSED;
    }

    @Override
    public long retransmits() {
        return retransmits;
    }

    @Override
    public long received() {
        return rcvNxt;
    }

    @Override
    public int unsent() {
        return (int) Math.max(0, sndUna + sb.size() - sndNxt);
    }

    @Override
    public int demand() {
        return sendSpace();
    }

    @Override
    public boolean refillsAtOnce() {
        return true;
    }

    @Override
    public int buffered() {
        return sb.size();
    }

    /** The congestion window in bytes (for tests). */
    public long cwnd() {
        return cwnd;
    }

    /** The slow-start threshold in bytes (for tests). */
    public long ssthresh() {
        return ssthresh;
    }

    /** The current retransmission timeout in nanoseconds (for tests). */
    public long rtoNs() {
        return rxtcur * cfg.slowTickNs();
    }

    // ---- tcp_output ----

    private boolean finSentEver() {
        return eof && sndMax > sndUna + sb.size();
    }

    private long ackValue() {
        return rcvNxt + (clientFin ? 1 : 0);
    }

    /** tcp_output: send what the windows allow, an ACK that is due, a FIN; else arm the persist timer. */
    private void output() {
        if (state != State.ESTABLISHED) {
            return;
        }
        boolean idle = sndMax == sndUna;
        if (idle && tickIndex(events.now()) - tickIndex(lastInput) >= rxtcur) {
            cwnd = mss; // idle longer than an RTO: slow start again (tcp_output.c)
        }
        while (outputOnce()) {
            // sendalot
        }
    }

    /** One pass of tcp_output; returns true if it should run again (more to send). */
    private boolean outputOnce() {
        long off = sndNxt - sndUna;
        long win = Math.min(sndWnd, cwnd);
        int cc = sb.size();
        boolean fin = eof && !finAcked;
        if (force) {
            if (win == 0) {
                if (off < cc) {
                    fin = false;
                }
                win = 1;
            } else {
                cancelPersist();
                rxtshift = 0;
            }
        }
        long len = Math.min(cc, win) - off;
        if (len < 0) {
            len = 0;
            if (win == 0) {
                cancelRexmt(); // the window shrank to zero: pull back and let the persist timer probe
                sndNxt = sndUna;
            }
        }
        boolean sendalot = false;
        if (len > mss) {
            len = mss;
            sendalot = true;
        }
        if (sndNxt + len < sndUna + cc) {
            fin = false;
        }
        boolean tailCorked = len > 0 && len < mss && len + off >= cc && len < win - off && host.corked();
        if (!mustSend(len, off, cc, fin, tailCorked)) {
            if (cc > 0 && rexmt == null && persist == null) {
                rxtshift = 0;
                setPersist();
            }
            return false;
        }
        transmit((int) len, off, fin);
        return sendalot;
    }

    private boolean mustSend(long len, long off, int cc, boolean fin, boolean tailCorked) {
        if (len > 0) {
            // slirp disables Nagle ("1 ||"): a segment that empties the buffer goes at once (unless the host corks)
            if (len == mss || (len + off >= cc && !tailCorked) || force || (maxSndWnd > 0 && len >= maxSndWnd / 2)
                    || sndNxt < sndMax) {
                return true;
            }
        }
        if (ackNow) {
            return true;
        }
        return fin && (!finSentEver() || sndNxt == sndUna);
    }

    private void transmit(int len, long off, boolean fin) {
        long now = events.now();
        byte[] data = len > 0 ? sb.peek((int) off, len) : new byte[0];
        int flags = Segment.ACK | (fin ? Segment.FIN : 0);
        if (fin && finSentEver() && sndNxt == sndMax) {
            sndNxt--; // FIN retransmitted: back over it
        }
        long seq = (len > 0 || fin || persist != null) ? sndNxt : sndMax;
        downlink.send(new Segment(conn, flags, seq, ackValue(), rcvWindow, data), now);
        if (!force || persist == null) {
            long startSeq = sndNxt;
            sndNxt += len + (fin ? 1 : 0);
            if (sndNxt > sndMax) {
                sndMax = sndNxt;
                if (!timing) {
                    timing = true;
                    rttStart = now;
                    rtseq = startSeq;
                }
            }
            if (rexmt == null && sndNxt != sndUna) {
                rexmt = armTicks(rxtcur, this::onRexmt);
                if (persist != null) {
                    cancelPersist();
                    rxtshift = 0;
                }
            }
        } else if (sndNxt + len > sndMax) {
            sndMax = sndNxt + len; // a window probe: SND.MAX moves, SND.NXT does not
        }
        ackNow = false;
        delack = false;
        cancel(fastTimer);
        fastTimer = null;
    }

    /** tcp_setpersist: half the RTO estimate, backed off, within TCPTV_PERSMIN..TCPTV_PERSMAX. */
    private void setPersist() {
        int t = ((srtt >> 2) + rttvar) >> 1;
        int ticks = clampTicks(t * backoff(rxtshift), cfg.persistMinNs(), cfg.persistMaxNs());
        persist = armTicks(ticks, this::onPersist);
        if (rxtshift < MAXRXTSHIFT) {
            rxtshift++;
        }
    }

    private void onPersist() {
        persist = null;
        if (state != State.ESTABLISHED) {
            return;
        }
        setPersist();
        force = true;
        outputOnce();
        force = false;
    }

    /** The retransmission timer went off (tcp_timers TCPT_REXMT): back off, go back to SND.UNA, one segment. */
    private void onRexmt() {
        rexmt = null;
        if (state != State.ESTABLISHED) {
            return;
        }
        if (++rxtshift > MAXRXTSHIFT) {
            rxtshift = 6; // libslirp keeps trying at the largest backoff (it halves t_maxseg; not modelled)
        }
        rxtcur = clampTicks(rexmtVal() * backoff(rxtshift), cfg.rtoMinNs(), cfg.rtoMaxNs());
        rexmt = armTicks(rxtcur, this::onRexmt);
        if (rxtshift > MAXRXTSHIFT / 4) {
            rttvar += srtt >> 3;
            srtt = 0;
        }
        sndNxt = sndUna;
        timing = false;
        long win = Math.max(2, Math.min(sndWnd, cwnd) / 2 / mss);
        cwnd = mss;
        ssthresh = win * mss;
        dupacks = 0;
        retransmits++;
        netEvents.retransmit("remote");
        output();
    }

    /** The fast timer (tcp_fasttimo): a delayed ACK becomes due. */
    private void armFastTimer() {
        if (delack && fastTimer == null && state == State.ESTABLISHED) {
            fastTimer = events.schedule(events.now() + cfg.ackDelayNs(), Event.CLASS_PROTOCOL, () -> {
                fastTimer = null;
                if (delack && state == State.ESTABLISHED) {
                    delack = false;
                    ackNow = true;
                    output();
                }
            });
        }
    }
}
