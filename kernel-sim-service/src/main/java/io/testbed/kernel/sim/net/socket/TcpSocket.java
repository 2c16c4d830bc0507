package io.testbed.kernel.sim.net.socket;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;

/**
 * The simulated machine's end of a TCP connection, as smoltcp 0.12 behaves inside embassy-net:
 * nothing happens between network polls. At a poll it takes the received segments, then sends what
 * it owes: queued data (within the peer's window), a FIN, an ACK that is due (delayed by
 * {@code tcp.ack_delay_ms}, or at once for every second segment), or a window update when the
 * receive window has at least doubled since it was last advertised. So the window the peer sees is
 * the free space of the receive buffer at the last poll, never fresher.
 */
public final class TcpSocket {
    public final long id;
    public final int ownerTid;
    public final boolean nonBlocking;
    private final MachineSettings settings;
    public final ByteQueue rx;
    public final ByteQueue tx;

    public TcpState state = TcpState.CLOSED;
    public String remoteHost;
    public int remotePort;
    /** Set when connect() starts, for the connect timeout. */
    public long connectStartedAt;

    private long rcvNxt;
    private boolean peerFin;
    private long sndUna;
    private long sndNxt;
    private int peerWnd;
    private boolean finQueued;
    private boolean finSent;
    private boolean finAcked;
    private boolean closedByApp;

    private enum Ack { IDLE, WAITING, IMMEDIATE }

    private Ack ack = Ack.IDLE;
    private long ackDeadline;
    private long lastAckSent;
    private int lastWndSent;

    private long rtoNs;
    private long rtoDeadline = -1;
    private long retransmits;

    private long bytesReceived;
    private long bytesSent;
    private long windowUpdates;
    private long segmentsIn;

    private io.testbed.kernel.sim.net.NetEvents netEvents = io.testbed.kernel.sim.net.NetEvents.NONE;

    public void reportTo(io.testbed.kernel.sim.net.NetEvents events) {
        this.netEvents = events;
    }

    public TcpSocket(long id, int ownerTid, boolean nonBlocking, MachineSettings settings) {
        this.id = id;
        this.ownerTid = ownerTid;
        this.nonBlocking = nonBlocking;
        this.settings = settings;
        this.rx = new ByteQueue(settings.rxBuffer);
        this.tx = new ByteQueue(settings.txBuffer);
        this.rtoNs = settings.tcpRtoNs;
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

    /** When the application closed it (for {@code tcp.closed_linger_ms}). */
    public long closedAt = -1;

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

    public int advertisableWindow() {
        return rx.free();
    }

    /** A segment from the peer, taken from the NIC during a poll. */
    public void input(Segment s, long now) {
        segmentsIn++;
        if (s.has(Segment.RST)) {
            state = state == TcpState.SYN_SENT || state == TcpState.SYN_PENDING ? TcpState.REFUSED : TcpState.RESET;
            return;
        }
        if (s.has(Segment.SYN) && s.has(Segment.ACK)) {
            if (state == TcpState.SYN_SENT) {
                rtoDeadline = -1;
                rtoNs = settings.tcpRtoNs;
                state = TcpState.ESTABLISHED;
                peerWnd = s.wnd();
                ack = Ack.IMMEDIATE;
            }
            return;
        }
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_PENDING || state == TcpState.CLOSED) {
            return;
        }
        if (s.has(Segment.ACK)) {
            long acked = Math.min(s.ack(), sndNxt + (finSent ? 1 : 0));
            if (acked > sndUna) {
                long dataAcked = Math.min(acked, sndNxt) - sndUna;
                tx.discard((int) dataAcked);
                sndUna += dataAcked;
                if (finSent && acked == sndNxt + 1) {
                    finAcked = true;
                }
                rtoNs = settings.tcpRtoNs;
                rtoDeadline = outstanding() ? now + rtoNs : -1;
            }
            peerWnd = s.wnd();
        }
        int len = s.length();
        if (len > 0) {
            if (s.seq() == rcvNxt && !peerFin) {
                int taken = rx.append(s.data(), 0, len);
                rcvNxt += taken;
                bytesReceived += taken;
                if (taken < len) {
                    ack = Ack.IMMEDIATE;
                } else if (settings.ackDelayNs == 0) {
                    ack = Ack.IMMEDIATE;
                } else if (ack == Ack.IDLE) {
                    ack = Ack.WAITING;
                    ackDeadline = now + settings.ackDelayNs;
                } else {
                    ack = Ack.IMMEDIATE; // ACK at least every second segment
                }
            } else {
                ack = Ack.IMMEDIATE; // duplicate or out of order: say where we are
            }
        }
        if (s.has(Segment.FIN) && s.seq() + len == rcvNxt && !peerFin) {
            peerFin = true;
            ack = Ack.IMMEDIATE;
            if (state == TcpState.ESTABLISHED) {
                state = TcpState.CLOSE_WAIT;
            } else if (state == TcpState.FIN_WAIT) {
                state = TcpState.DONE;
            }
        }
    }

    /** Sends what is owed at a poll; returns the number of segments sent. */
    public int output(long now, Link uplink) {
        int sent = 0;
        boolean synTimedOut = state == TcpState.SYN_SENT && rtoDeadline >= 0 && now >= rtoDeadline;
        if (state == TcpState.SYN_PENDING || synTimedOut) {
            if (synTimedOut) {
                retransmits++;
                netEvents.retransmit("local");
                rtoNs = Math.min(rtoNs * 2, 60_000_000_000L);
            }
            state = TcpState.SYN_SENT;
            uplink.send(Segment.control(id, Segment.SYN, -1, 0, rx.free()), now);
            lastWndSent = rx.free();
            rtoDeadline = now + rtoNs;
            return 1;
        }
        if (rtoDeadline >= 0 && now >= rtoDeadline && outstanding() && canRetransmit()) {
            // go back to the oldest unacknowledged byte (smoltcp retransmits from snd_una)
            retransmits++;
            netEvents.retransmit("local");
            sndNxt = sndUna;
            if (!finAcked) {
                finSent = false;
            }
            rtoNs = Math.min(rtoNs * 2, 60_000_000_000L);
            rtoDeadline = now + rtoNs;
        }
        if (state == TcpState.SYN_SENT || state == TcpState.CLOSED || state == TcpState.REFUSED || state == TcpState.RESET) {
            return 0;
        }
        while (true) {
            long inFlight = sndNxt - sndUna;
            long unsent = tx.size() - inFlight;
            long room = peerWnd - inFlight;
            if (unsent <= 0 || room <= 0) {
                break;
            }
            int len = (int) Math.min(settings.mss, Math.min(unsent, room));
            byte[] data = tx.peek((int) inFlight, len);
            uplink.send(new Segment(id, Segment.ACK, sndNxt, ackValue(), rx.free(), data), now);
            sndNxt += len;
            bytesSent += len;
            noteAckSent();
            sent++;
            if (rtoDeadline < 0) {
                rtoDeadline = now + rtoNs;
            }
        }
        if (finQueued && !finSent && sndNxt - sndUna == tx.size()) {
            uplink.send(Segment.control(id, Segment.FIN | Segment.ACK, sndNxt, ackValue(), rx.free()), now);
            finSent = true;
            noteAckSent();
            sent++;
            if (rtoDeadline < 0) {
                rtoDeadline = now + rtoNs;
            }
        }
        boolean ackDue = ack == Ack.IMMEDIATE || (ack == Ack.WAITING && now >= ackDeadline);
        if (ackDue || windowUpdateDue()) {
            if (!ackDue) {
                windowUpdates++;
            }
            uplink.send(Segment.control(id, Segment.ACK, sndNxt, ackValue(), rx.free()), now);
            noteAckSent();
            sent++;
        }
        return sent;
    }

    private boolean outstanding() {
        return sndNxt > sndUna || (finSent && !finAcked);
    }

    private boolean canRetransmit() {
        return state != TcpState.RESET && state != TcpState.REFUSED && state != TcpState.CLOSED;
    }

    /** smoltcp's rule: send a window update when the window is open and at least twice what the peer believes. */
    private boolean windowUpdateDue() {
        if (peerFin || state == TcpState.DONE) {
            return false;
        }
        long peerBelieves = lastAckSent + lastWndSent - rcvNxt;
        int win = rx.free();
        return win > 0 && win / 2 >= peerBelieves;
    }

    private long ackValue() {
        return rcvNxt + (peerFin ? 1 : 0);
    }

    private void noteAckSent() {
        ack = Ack.IDLE;
        lastAckSent = rcvNxt;
        lastWndSent = rx.free();
        netEvents.windowAdvertised(lastWndSent);
    }

    /** The ACK timer's deadline if an ACK is waiting, else -1 (for an interrupt-driven stack). */
    public long ackDeadline() {
        return ack == Ack.WAITING ? ackDeadline : -1;
    }

    /** The end of what the application has queued to send, as a stream offset. */
    public long queuedEnd() {
        return sndUna + tx.size();
    }

    public long retransmits() {
        return retransmits;
    }

    /** The retransmission deadline, or -1 (for an interrupt-driven stack's timer). */
    public long rtoDeadline() {
        return rtoDeadline;
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
}
