package io.testbed.kernel.sim.net.socket;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated machine's end of a TCP connection, as smoltcp 0.12.0's {@code tcp::Socket} behaves
 * inside embassy-net 0.6 as Akuma configured it. Nothing happens between network polls. At a poll the
 * interface first feeds every received segment to {@link #input(Segment, long, Link)} (smoltcp
 * {@code process}), which may answer at once (an ACK for out-of-order data, a rate-limited challenge
 * ACK), then calls {@link #output(long, Link)} (smoltcp {@code dispatch}) once per egress pass, which
 * sends at most {@code net.segments_per_egress} segments: data or FIN if the peer's window and Nagle
 * allow, else an ACK whose delay has expired, else a window update when the window has at least doubled.
 * Every window put on the wire is clamped to {@code nic.max_burst_size x (nic.mtu - 40)} as smoltcp's
 * interface does (src/iface/packet.rs:144-160). docs/MODEL.md "The machine's TCP" names the source line
 * of each rule.
 *
 * <p>Sequence numbers are stream offsets: each side's SYN takes offset -1, its data starts at 0 and
 * its FIN takes the offset after the last byte.
 */
public final class TcpSocket {
    /** IPv4 header bytes (smoltcp IPV4_HEADER_LEN). */
    static final int IP_HEADER = 20;
    /** TCP header without options (smoltcp TCP_HEADER_LEN). */
    static final int TCP_HEADER = 20;
    /** A SYN's TCP header: MSS (4), window scale (3) and SACK-permitted (2) options, padded to 32. */
    static final int SYN_TCP_HEADER = 32;
    /** Ethernet header, the difference between the device MTU and the IP MTU. */
    static final int ETHERNET_HEADER = 14;

    public final long id;
    public final int ownerTid;
    public final boolean nonBlocking;
    private final MachineSettings settings;
    // settings read per event, cached
    private final int segmentsPerEgress;
    private final int nicMaxBurstSize;
    private final int nicMtu;
    private final int fastRetransmitDupAcks;
    private final int mss;
    private final long ackDelayNs;
    private final long challengeAckIntervalNs;
    private final boolean nagle;
    public final ByteQueue rx;
    public final ByteQueue tx;

    public TcpState state = TcpState.CLOSED;
    public String remoteHost;
    public int remotePort;
    /** Set when connect() starts, for the connect timeout. */
    public long connectStartedAt;
    /** When the application closed it (for {@code tcp.closed_linger_ms}). */
    public long closedAt = -1;

    /** smoltcp local_seq_no: the oldest unacknowledged sequence number. */
    private long sndUna = -1;
    /** smoltcp remote_last_seq: the next sequence number to send. */
    private long sndNxt = -1;
    /** smoltcp remote_win_len. */
    private int peerWnd;
    /** Next in-order data offset expected from the peer (its FIN not counted). */
    private long rcvNxt;
    private boolean peerFin;
    private boolean finQueued;
    private boolean finAcked;
    private boolean closedByApp;

    private enum AckTimer { IDLE, WAITING, IMMEDIATE }

    private AckTimer ackTimer = AckTimer.IDLE;
    private long ackDeadline;
    /** smoltcp remote_last_ack (null: none yet). */
    private Long lastAckSent;
    /** smoltcp remote_last_win: the window last sent, before the interface's clamp. */
    private int lastWndSent;
    private long challengeAckAllowedAt;

    private enum RtxTimer { IDLE, RETRANSMIT, FAST_RETRANSMIT }

    private RtxTimer rtxTimer = RtxTimer.IDLE;
    private long rtxExpiresAt;
    private long rtxDelay;
    private final RttEstimator rtte;
    private Long lastRxAck;
    private int dupAcks;

    /** smoltcp's assembler, or null when out-of-order segments are dropped. */
    private final Assembler assembler;
    /** Out-of-order payload held until the gap before it fills, by sequence number. */
    private final TreeMap<Long, byte[]> outOfOrder = new TreeMap<>();
    /** ACKs owed by {@link #input(Segment, long)} without a link, sent first at the next output. */
    private final List<Segment> owedReplies = new ArrayList<>();

    private long retransmits;
    private long fastRetransmits;
    private long bytesReceived;
    private long bytesSent;
    private long windowUpdates;
    private long segmentsIn;
    private long challengeAcks;
    private long outOfOrderDropped;

    private NetEvents netEvents = NetEvents.NONE;

    public TcpSocket(long id, int ownerTid, boolean nonBlocking, MachineSettings settings) {
        this.id = id;
        this.ownerTid = ownerTid;
        this.nonBlocking = nonBlocking;
        this.settings = settings;
        this.segmentsPerEgress = settings.getInt(Settings.NET_SEGMENTS_PER_EGRESS);
        this.nicMaxBurstSize = settings.getInt(Settings.NIC_MAX_BURST_SIZE);
        this.nicMtu = settings.getInt(Settings.NIC_MTU);
        this.fastRetransmitDupAcks = settings.getInt(Settings.TCP_FAST_RETRANSMIT_DUPACKS);
        this.mss = settings.getInt(Settings.TCP_MSS);
        this.ackDelayNs = settings.getLong(Settings.TCP_ACK_DELAY_NS);
        this.challengeAckIntervalNs = settings.getLong(Settings.TCP_CHALLENGE_ACK_INTERVAL_NS);
        this.nagle = settings.is(Settings.TCP_NAGLE);
        this.rx = new ByteQueue(settings.getInt(Settings.SOCKET_RX_BUFFER));
        this.tx = new ByteQueue(settings.getInt(Settings.SOCKET_TX_BUFFER));
        this.rtte = new RttEstimator(settings);
        this.assembler = settings.getInt(Settings.TCP_ASSEMBLER_MAX_SEGMENTS) > 0 ? new Assembler(settings.getInt(Settings.TCP_ASSEMBLER_MAX_SEGMENTS)) : null;
    }

    public void reportTo(NetEvents events) {
        this.netEvents = events;
    }

    public void startConnect(String host, int port, long now) {
        remoteHost = host;
        remotePort = port;
        connectStartedAt = now;
        state = TcpState.SYN_PENDING;
    }

    /** Data can still arrive or be read. */
    public boolean readable() {
        return !rx.isEmpty() || peerFin || state == TcpState.RESET;
    }

    public boolean peerClosed() {
        return peerFin;
    }

    public boolean canSend() {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT;
    }

    public void close() {
        closedByApp = true;
        switch (state) {
            case ESTABLISHED, CLOSE_WAIT -> {
                finQueued = true;
                state = peerFin ? TcpState.DONE : TcpState.FIN_WAIT;
            }
            case REFUSED, RESET -> { }
            default -> state = TcpState.DONE;
        }
    }

    public boolean closedByApp() {
        return closedByApp;
    }

    /** Whether the socket has nothing left to do and can be freed (closed by the app, FIN exchange over). */
    public boolean finished() {
        if (!closedByApp) {
            return false;
        }
        if (state == TcpState.REFUSED || state == TcpState.RESET || state == TcpState.CLOSED) {
            return true;
        }
        return state == TcpState.DONE && (!finQueued || finAcked) && (peerFin || !finQueued);
    }

    /** The receive window smoltcp computes (rx_buffer.window()): the free space of the receive buffer. */
    public int advertisableWindow() {
        return rx.free();
    }

    // ---------------------------------------------------------------- ingress (smoltcp process)

    /** A segment from the peer, taken from the NIC during a poll; an ACK it calls for leaves at the next output. */
    public void input(Segment s, long now) {
        process(s, now, owedReplies::add);
    }

    /**
     * A segment from the peer, taken from the NIC during a poll (smoltcp tcp.rs:1477-2116). An ACK it
     * calls for at once (out-of-order data, a gap filled, a segment outside the window) goes on
     * {@code replies} now, as smoltcp's interface emits {@code process}'s reply during ingress.
     */
    public void input(Segment s, long now, Link replies) {
        process(s, now, seg -> replies.send(seg, now));
    }

    private void process(Segment s, long now, Consumer<Segment> reply) {
        segmentsIn++;
        if (s.has(Segment.RST)) {
            if (active()) {
                state = synchronizing() ? TcpState.REFUSED : TcpState.RESET;
                rtxTimer = RtxTimer.IDLE;
                ackTimer = AckTimer.IDLE;
            }
            return;
        }
        if (!active()) {
            return;
        }
        if (synchronizing()) {
            if (state == TcpState.SYN_SENT && s.has(Segment.SYN) && s.has(Segment.ACK) && s.ack() == sndUna + 1) {
                established(s, now);
            }
            return; // tcp.rs:1524-1545: anything else in SYN-SENT is ignored
        }
        if (!s.has(Segment.ACK)) {
            return; // tcp.rs:1547-1550
        }
        if (s.ack() < sndUna) {
            return; // tcp.rs:1569-1577: an old duplicate ACK is dropped whole
        }
        if (s.ack() > sndUna + tx.size() + (finQueued && !finAcked ? 1 : 0)) {
            challengeAck(now, reply); // tcp.rs:1579-1587: acknowledges what was never sent
            return;
        }
        long windowStart = ackValue();
        long windowEnd = windowStart + rx.free();
        if (s.has(Segment.SYN) || !acceptable(s, windowStart, windowEnd)) {
            challengeAck(now, reply); // tcp.rs:1612-1678: outside the window, a keep-alive or window probe
            return;
        }
        boolean finAccepted = s.has(Segment.FIN) && s.seq() <= windowStart && s.seq() + s.length() <= windowEnd;
        boolean windowChanged = processAck(s, now, finAccepted);
        if (finAccepted && !peerFin) {
            peerFin = true;
            state = state == TcpState.FIN_WAIT ? TcpState.DONE : state == TcpState.ESTABLISHED ? TcpState.CLOSE_WAIT : state;
        }
        detectDuplicateAck(s, windowChanged);
        if (s.length() > 0) {
            receivePayload(s, windowStart, windowEnd, now, reply);
        }
    }

    private boolean active() {
        return state != TcpState.CLOSED && state != TcpState.REFUSED && state != TcpState.RESET;
    }

    private boolean synchronizing() {
        return state == TcpState.SYN_PENDING || state == TcpState.SYN_SENT;
    }

    /** SYN|ACK in SYN-SENT (tcp.rs:1805-1843). */
    private void established(Segment s, long now) {
        rtte.onAck(now, s.ack());
        sndUna = s.ack();
        sndNxt = sndUna;
        rcvNxt = s.seq() + 1;
        lastAckSent = s.seq(); // remote_last_ack = the SYN's sequence number: an ACK is owed at once
        peerWnd = s.wnd();
        lastRxAck = s.ack();
        dupAcks = 0;
        rtxTimer = RtxTimer.IDLE;
        state = TcpState.ESTABLISHED;
    }

    /** RFC 9293's segment acceptability test as smoltcp 0.12 writes it (tcp.rs:1605-1660). */
    private static boolean acceptable(Segment s, long windowStart, long windowEnd) {
        long start = s.seq();
        long end = s.seq() + s.length();
        boolean empty = start == end;
        boolean zeroWindow = windowStart == windowEnd;
        if (empty && end == windowStart - 1) {
            return false; // keep-alive or window probe
        }
        if (empty) {
            return zeroWindow ? windowStart == start : windowStart <= start && start < windowEnd;
        }
        if (zeroWindow) {
            return false;
        }
        return (windowStart <= start && start < windowEnd) || (windowStart < end && end <= windowEnd);
    }

    /**
     * The acknowledgement and window of an acceptable segment (tcp.rs:1680-2024): frees acknowledged
     * bytes, samples the RTT, resets the retransmission timer as smoltcp's state table does. Returns
     * whether the peer's window changed.
     */
    private boolean processAck(Segment s, long now, boolean finAccepted) {
        long ack = s.ack();
        long ackLen = ack - sndUna;
        boolean ackOfFin = false;
        if (finQueued && !finAcked && sndNxt > sndUna + tx.size() && ackLen == tx.size() + 1) {
            ackLen--;
            ackOfFin = true;
        }
        boolean ackAll = sndNxt == ack;
        rtte.onAck(now, ack);
        boolean finWait1 = finQueued && !finAcked && !peerFin;
        boolean establishedOnly = !finQueued && !peerFin && state == TcpState.ESTABLISHED;
        if (finAccepted || (establishedOnly ? rtxTimer == RtxTimer.IDLE || ackAll : !finWait1 || ackAll)) {
            rtxTimer = RtxTimer.IDLE;
        }
        boolean windowChanged = s.wnd() != peerWnd;
        peerWnd = s.wnd();
        if (ackLen > 0) {
            tx.discard((int) ackLen);
        }
        if (ackOfFin) {
            finAcked = true;
        }
        return windowChanged;
    }

    /** Duplicate ACKs and fast retransmit (tcp.rs:1950-2010); then SND.UNA moves. */
    private void detectDuplicateAck(Segment s, boolean windowChanged) {
        long ack = s.ack();
        if (lastRxAck != null && s.length() == 0 && lastRxAck == ack && ack < sndNxt && !windowChanged) {
            dupAcks++;
            if (fastRetransmitDupAcks > 0 && dupAcks == fastRetransmitDupAcks) {
                rtxTimer = RtxTimer.FAST_RETRANSMIT;
            }
        } else {
            dupAcks = 0;
            lastRxAck = ack;
        }
        sndUna = ack;
        if (sndNxt < sndUna) {
            sndNxt = sndUna;
        }
    }

    /** Payload into the assembler and the receive buffer; delayed or immediate ACK (tcp.rs:2026-2115). */
    private void receivePayload(Segment s, long windowStart, long windowEnd, long now,
                                Consumer<Segment> reply) {
        long from = Math.max(windowStart, s.seq());
        long to = Math.min(windowEnd, s.seq() + s.length());
        if (to <= from) {
            return;
        }
        long offset = from - windowStart;
        int len = (int) (to - from);
        boolean wasEmpty = assembler == null || assembler.isEmpty();
        long contig;
        if (assembler == null) {
            contig = offset == 0 ? len : -2;
        } else {
            contig = assembler.addThenRemoveFront(offset, len);
        }
        if (contig == -1) {
            outOfOrderDropped++; // too many holes: dropped without an ACK (tcp.rs:2031-2040)
            return;
        }
        byte[] payload = s.data();
        int skip = (int) (from - s.seq());
        if (contig == -2) {
            outOfOrderDropped++; // no assembler: the earlier model, dropped and answered with a duplicate ACK
        } else {
            outOfOrder.put(from, Arrays.copyOfRange(payload, skip, skip + len));
            if (contig > 0) {
                deliverContiguous((int) contig);
            }
        }
        delayAck(now);
        boolean holes = assembler == null ? contig == -2 : !assembler.isEmpty();
        if (holes || !wasEmpty) {
            reply.accept(ackSegment()); // RFC 5681: out-of-order data or a filled gap is ACKed at once
        }
    }

    /** Moves {@code n} contiguous bytes from the out-of-order store into the receive buffer. */
    private void deliverContiguous(int n) {
        byte[] out = new byte[n];
        long end = rcvNxt + n;
        Iterator<Map.Entry<Long, byte[]>> it = outOfOrder.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            long start = e.getKey();
            if (start >= end) {
                break;
            }
            byte[] chunk = e.getValue();
            long lo = Math.max(start, rcvNxt);
            long hi = Math.min(start + chunk.length, end);
            if (hi > lo) {
                System.arraycopy(chunk, (int) (lo - start), out, (int) (lo - rcvNxt), (int) (hi - lo));
            }
            if (start + chunk.length <= end) {
                it.remove();
            }
        }
        int taken = rx.append(out, 0, n);
        rcvNxt += taken;
        bytesReceived += taken;
    }

    /** smoltcp's delayed-ACK timer (tcp.rs:2080-2102): started by new data, forced by more than one MSS unacknowledged. */
    private void delayAck(long now) {
        if (ackDelayNs == 0 || !ackToTransmit()) {
            return;
        }
        if (ackTimer == AckTimer.IDLE) {
            ackTimer = AckTimer.WAITING;
            ackDeadline = now + ackDelayNs;
        } else if (ackTimer == AckTimer.WAITING && immediateAckToTransmit()) {
            ackTimer = AckTimer.IMMEDIATE;
        }
    }

    /** An ACK answering a segment outside the window, at most one per {@code tcp.challenge_ack_interval_ms} (tcp.rs:1433-1447). */
    private void challengeAck(long now, Consumer<Segment> reply) {
        if (now < challengeAckAllowedAt) {
            return;
        }
        challengeAckAllowedAt = now + challengeAckIntervalNs;
        challengeAcks++;
        reply.accept(ackSegment());
    }

    /** smoltcp ack_reply (tcp.rs:1373-1431): an empty ACK; records the ACK and window sent, leaves the delayed-ACK timer. */
    private Segment ackSegment() {
        lastAckSent = ackValue();
        lastWndSent = rx.free();
        int wire = wireWindow(lastWndSent, TCP_HEADER);
        netEvents.windowAdvertised(wire);
        return Segment.control(id, Segment.ACK, sndNxt, ackValue(), wire);
    }

    // ---------------------------------------------------------------- egress (smoltcp dispatch)

    /**
     * Sends what is owed at a poll's egress pass: ACKs owed by an {@link #input(Segment, long)} without
     * a link, then up to {@code net.segments_per_egress} dispatches (0: until nothing is owed). Returns
     * the number of segments sent.
     */
    public int output(long now, Link uplink) {
        int sent = 0;
        for (Segment owed : owedReplies) {
            uplink.send(owed, now);
            sent++;
        }
        owedReplies.clear();
        int limit = segmentsPerEgress;
        for (int i = 0; limit == 0 || i < limit; i++) {
            if (!dispatch(now, uplink)) {
                break;
            }
            sent++;
        }
        return sent;
    }

    /** One smoltcp dispatch (tcp.rs:2250-2549): at most one segment. Returns whether one was sent. */
    private boolean dispatch(long now, Link uplink) {
        if (!active() || state == TcpState.CLOSED) {
            return false;
        }
        if (!seqToTransmit() && retransmitDue(now)) {
            sndNxt = sndUna; // go back to the oldest unacknowledged byte
            rtxTimer = RtxTimer.IDLE;
            rtte.onRetransmit();
            retransmits++;
            netEvents.retransmit("local");
        }
        boolean windowUpdate = false;
        if (!seqToTransmit()) {
            if (ackToTransmit() && delayedAckExpired(now)) {
                windowUpdate = false;
            } else if (windowToUpdate()) {
                windowUpdate = true;
            } else {
                return false;
            }
        }
        Segment seg = buildSegment();
        uplink.send(seg, now);
        afterSend(seg, now);
        if (windowUpdate) {
            windowUpdates++;
        }
        return true;
    }

    private boolean retransmitDue(long now) {
        if (rtxTimer == RtxTimer.FAST_RETRANSMIT) {
            fastRetransmits++;
            return true;
        }
        return rtxTimer == RtxTimer.RETRANSMIT && now >= rtxExpiresAt;
    }

    /** The segment dispatch sends: SYN, data and/or FIN, or an empty ACK (tcp.rs:2345-2440). */
    private Segment buildSegment() {
        if (synchronizing()) {
            int wnd = Math.min(rx.free(), 65_535); // a SYN's window is never scaled
            return Segment.control(id, Segment.SYN, sndUna, 0, wireWindow(wnd, SYN_TCP_HEADER));
        }
        int wnd = rx.free();
        int flags = Segment.ACK;
        byte[] data = new byte[0];
        if (!finAcked) {
            long winLimit = Math.max(0, sndUna + peerWnd - sndNxt);
            long size = Math.min(winLimit, Math.min(mss, localMss()));
            long offset = sndNxt - sndUna;
            if (offset <= tx.size()) {
                data = tx.peek((int) offset, (int) Math.min(size, tx.size() - offset));
                if (offset + data.length == tx.size() && finQueued) {
                    flags |= Segment.FIN;
                }
            }
        }
        return new Segment(id, flags, sndNxt, ackValue(), wireWindow(wnd, TCP_HEADER), data);
    }

    private void afterSend(Segment seg, long now) {
        ackTimer = AckTimer.IDLE;
        int segLen = seg.length() + (seg.has(Segment.SYN) ? 1 : 0) + (seg.has(Segment.FIN) ? 1 : 0);
        if (seg.has(Segment.SYN)) {
            state = TcpState.SYN_SENT;
        } else {
            lastAckSent = seg.ack();
            lastWndSent = rx.free();
        }
        bytesSent += seg.length();
        sndNxt = seg.seq() + segLen;
        netEvents.windowAdvertised(seg.wnd());
        if (segLen > 0) {
            rtte.onSend(now, seg.seq() + segLen);
            if (!seqToTransmit()) {
                armRetransmit(now, rtte.rtoNs());
            }
        }
    }

    /** smoltcp Timer::set_for_retransmit (tcp.rs:338-355). */
    private void armRetransmit(long now, long delay) {
        switch (rtxTimer) {
            case IDLE, FAST_RETRANSMIT -> {
                rtxTimer = RtxTimer.RETRANSMIT;
                rtxExpiresAt = now + delay;
                rtxDelay = delay;
            }
            case RETRANSMIT -> {
                if (now >= rtxExpiresAt) {
                    rtxExpiresAt = now + rtxDelay;
                    rtxDelay *= 2;
                }
            }
            default -> throw new IllegalStateException(rtxTimer.name());
        }
    }

    /** smoltcp seq_to_transmit (tcp.rs:2125-2190): a SYN, data the window and Nagle allow, or a FIN. */
    private boolean seqToTransmit() {
        if (!active() || state == TcpState.CLOSED) {
            return false;
        }
        boolean inFlight = sndNxt != sndUna;
        if (synchronizing()) {
            return !inFlight;
        }
        if (finAcked) {
            return false;
        }
        long maxSendSeq = sndUna + Math.min(peerWnd, tx.size());
        long maxSend = Math.max(0, maxSendSeq - sndNxt);
        boolean canSend = maxSend != 0;
        boolean canSendFull = maxSend >= Math.min(localMss(), mss);
        boolean wantFin = finQueued;
        if (nagle && inFlight && !canSendFull && !wantFin) {
            canSend = false;
        }
        boolean canFin = wantFin && sndNxt == sndUna + tx.size();
        return canSend || canFin;
    }

    private boolean delayedAckExpired(long now) {
        return ackTimer != AckTimer.WAITING || ackDeadline <= now;
    }

    /** smoltcp ack_to_transmit (tcp.rs:2200-2206). */
    private boolean ackToTransmit() {
        return lastAckSent != null && lastAckSent < ackValue();
    }

    /** smoltcp immediate_ack_to_transmit (tcp.rs:2218-2224): more than one MSS unacknowledged. */
    private boolean immediateAckToTransmit() {
        return lastAckSent != null && lastAckSent + mss < ackValue();
    }

    /** smoltcp window_to_update (tcp.rs:2232-2248): the window at least doubled since last advertised. */
    private boolean windowToUpdate() {
        if (peerFin || !active() || synchronizing() || lastAckSent == null) {
            return false;
        }
        int win = rx.free();
        long lastAdjusted = Math.max(0, lastAckSent + lastWndSent - ackValue());
        return win > 0 && win / 2 >= lastAdjusted;
    }

    /** The MSS this end can send given the device MTU (tcp.rs:2131-2135). */
    private int localMss() {
        return nicMtu - ETHERNET_HEADER - IP_HEADER - TCP_HEADER;
    }

    /** The window as it leaves the interface: clamped to max_burst_size segments (src/iface/packet.rs:144-160). */
    private int wireWindow(int window, int tcpHeader) {
        if (nicMaxBurstSize <= 0) {
            return window;
        }
        long max = (long) nicMaxBurstSize * (nicMtu - IP_HEADER - tcpHeader);
        return (int) Math.min(window, max);
    }

    private long ackValue() {
        return rcvNxt + (peerFin ? 1 : 0);
    }

    // ---------------------------------------------------------------- timers and figures

    /**
     * When this socket next needs a poll (smoltcp poll_at, tcp.rs:2552-2593): {@code now} or earlier if
     * it has something to send already, the earliest of its retransmission and delayed-ACK timers, or
     * -1 if only an incoming segment can give it work.
     */
    public long pollAt(long now) {
        if (!active()) {
            return -1;
        }
        if (!owedReplies.isEmpty() || seqToTransmit() || windowToUpdate() || rtxTimer == RtxTimer.FAST_RETRANSMIT) {
            return now;
        }
        long t = rtxTimer == RtxTimer.RETRANSMIT ? rtxExpiresAt : -1;
        if (ackToTransmit()) {
            long a = ackTimer == AckTimer.WAITING ? ackDeadline : now;
            t = t < 0 ? a : Math.min(t, a);
        }
        return t;
    }

    /** The delayed-ACK deadline if an ACK is waiting, else -1. */
    public long ackDeadline() {
        return ackTimer == AckTimer.WAITING && ackToTransmit() ? ackDeadline : -1;
    }

    /** The end of what the application has queued to send, as a stream offset. */
    public long queuedEnd() {
        long txStart = finAcked ? sndUna - 1 : Math.max(0, sndUna);
        return txStart + tx.size();
    }

    public long retransmits() {
        return retransmits;
    }

    /** Retransmissions started by duplicate ACKs rather than the timer. */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /** The retransmission deadline, or -1. */
    public long rtoDeadline() {
        return rtxTimer == RtxTimer.RETRANSMIT ? rtxExpiresAt : -1;
    }

    /** The current retransmission timeout the estimator gives, nanoseconds. */
    public long rtoNs() {
        return rtte.rtoNs();
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long windowUpdates() {
        return windowUpdates;
    }

    public long segmentsIn() {
        return segmentsIn;
    }

    /** ACKs sent for segments outside the receive window. */
    public long challengeAcks() {
        return challengeAcks;
    }

    /** Out-of-order segments dropped (too many holes, or no assembler). */
    public long outOfOrderDropped() {
        return outOfOrderDropped;
    }

    /** The assembler's contigs, e.g. {@code [(1460,1460)]}, or "none". */
    public String assemblerState() {
        return assembler == null ? "none" : assembler.toString();
    }
}
