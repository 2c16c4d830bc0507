package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;

/**
 * {@code remote.tcp=simple}: the testbed's original remote sender, kept as an idealised peer for the
 * machine-side analysis (NetworkModelGridTest): limited only by the advertised window (no congestion
 * window, unlimited send buffer), immediate ACKs, go-back-N on a retransmission timeout of
 * {@code remote.rto_ms} doubling per retry, and a persist timer for a closed window that probes one byte
 * at SND.UNA only while nothing is in flight and is cancelled when the window opens.
 */
public final class SimpleTcp implements RemoteTcp {
    private enum State { LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED }

    private final long conn;
    private final RemoteTcpSettings cfg;
    private final EventQueue events;
    private final Link downlink;
    private final Host host;
    private NetEvents netEvents = NetEvents.NONE;
    private State state = State.LISTEN;

    private final ByteQueue sendBuf = new ByteQueue(Integer.MAX_VALUE);
    private long sndUna;
    private long sndNxt;
    /** Highest sequence number sent (a window probe advances it without advancing SND.NXT, as in BSD). */
    private long sndMax;
    private int peerWnd;
    private boolean eof;
    private boolean finSent;
    private boolean finAcked;
    private long rcvNxt;
    private boolean clientFin;
    private Event rto;
    private long rtoNs;
    private Event persist;
    private int persistShift;
    private long retransmits;
    private int ackedPending;

    public SimpleTcp(long conn, RemoteTcpSettings cfg, EventQueue events, Link downlink, Host host) {
        this.conn = conn;
        this.cfg = cfg;
        this.events = events;
        this.downlink = downlink;
        this.host = host;
        this.rtoNs = cfg.rtoNs();
    }

    public void reportTo(NetEvents events) {
        this.netEvents = events;
    }

    @Override
    public void input(Segment s) {
        long now = events.now();
        if (state == State.CLOSED) {
            return;
        }
        if (s.has(Segment.RST)) {
            close();
            host.aborted();
            return;
        }
        if (s.has(Segment.SYN)) {
            if (state == State.LISTEN) {
                peerWnd = s.wnd();
                state = State.SYN_RECEIVED;
                host.connectRequested();
            } else if (state == State.ESTABLISHED) {
                // the client sent its SYN again: our SYN-ACK never reached it, answer again
                sendSynAck();
            }
            return;
        }
        if (state != State.ESTABLISHED) {
            return;
        }
        if (s.has(Segment.ACK)) {
            ack(s);
        }
        int len = s.length();
        if (len > 0) {
            if (s.seq() == rcvNxt && !clientFin) {
                rcvNxt += len;
                host.delivered(s.data());
            }
            sendControl(Segment.ACK, now);
        }
        if (s.has(Segment.FIN) && s.seq() + len == rcvNxt && !clientFin) {
            clientFin = true;
            sendControl(Segment.ACK, now);
            host.clientFinished();
        }
        trySend(now);
        if (finAcked && clientFin) {
            close();
        }
        if (ackedPending > 0) {
            int n = ackedPending;
            ackedPending = 0;
            host.acked(n);
        }
    }

    private void ack(Segment s) {
        // acceptable up to the highest byte ever sent (SND.MAX), which includes an accepted window probe
        long acked = Math.min(s.ack(), sndMax + (finSent ? 1 : 0));
        if (acked > sndUna) {
            long dataAcked = Math.min(acked, sndMax) - sndUna;
            if (dataAcked > 0) {
                sendBuf.discard((int) dataAcked);
                sndUna += dataAcked;
                ackedPending += (int) dataAcked;
            }
            if (sndNxt < sndUna) {
                sndNxt = sndUna; // the probe byte was accepted: send on after it
            }
            if (finSent && acked == sndNxt + 1) {
                finAcked = true;
            }
            rtoNs = cfg.rtoNs();
            cancel(rto);
            rto = null;
        }
        peerWnd = s.wnd();
        if (peerWnd > 0 && persist != null) {
            cancel(persist); // the window opened: nothing left to probe
            persist = null;
            persistShift = 0;
        }
    }

    private void trySend(long now) {
        if (state != State.ESTABLISHED) {
            return;
        }
        while (true) {
            long inFlight = sndNxt - sndUna;
            long unsent = sendBuf.size() - inFlight;
            long room = peerWnd - inFlight;
            if (unsent <= 0 || room <= 0) {
                break;
            }
            int len = (int) Math.min(cfg.mss(), Math.min(unsent, room));
            if (len == unsent && len < cfg.mss() && len < room && host.corked()) {
                break; // a short last segment waits while the host is corked
            }
            byte[] data = sendBuf.peek((int) inFlight, len);
            downlink.send(new Segment(conn, Segment.ACK, sndNxt, ackValue(), cfg.window(), data), now);
            sndNxt += len;
            sndMax = Math.max(sndMax, sndNxt);
        }
        long unsent = sendBuf.size() - (sndNxt - sndUna);
        if (unsent == 0 && eof && !finSent) {
            downlink.send(Segment.control(conn, Segment.FIN | Segment.ACK, sndNxt, ackValue(), cfg.window()), now);
            finSent = true;
        }
        boolean outstanding = sndNxt > sndUna || (finSent && !finAcked);
        if (outstanding && rto == null) {
            rto = events.schedule(now + rtoNs, Event.CLASS_PROTOCOL, this::onRto);
        }
        if (unsent > 0 && peerWnd == 0 && !outstanding && persist == null) {
            persist = events.schedule(now + persistInterval(), Event.CLASS_PROTOCOL, this::onPersist);
        }
    }

    private void onRto() {
        rto = null;
        if (state != State.ESTABLISHED) {
            return;
        }
        if (sndNxt > sndUna || (finSent && !finAcked)) {
            retransmits++;
            netEvents.retransmit("remote");
            sndNxt = sndUna;
            finSent = false;
            rtoNs = Math.min(rtoNs * 2, 60_000_000_000L);
            trySend(events.now());
        }
    }

    /** Zero-window probe: one byte at SND.UNA, only with the window closed and nothing in flight. */
    private void onPersist() {
        persist = null;
        long now = events.now();
        if (state != State.ESTABLISHED) {
            return;
        }
        if (peerWnd == 0 && sndNxt == sndUna && sendBuf.size() > 0) {
            byte[] probe = sendBuf.peek(0, 1);
            downlink.send(new Segment(conn, Segment.ACK, sndUna, ackValue(), cfg.window(), probe), now);
            sndMax = Math.max(sndMax, sndUna + 1);
            persistShift = Math.min(persistShift + 1, 6);
            persist = events.schedule(now + persistInterval(), Event.CLASS_PROTOCOL, this::onPersist);
        } else {
            persistShift = 0;
            trySend(now);
        }
    }

    /** The persist interval: the retransmission timeout, doubled per unanswered probe (at most 64 times). */
    private long persistInterval() {
        return cfg.rtoNs() << persistShift;
    }

    private long ackValue() {
        return rcvNxt + (clientFin ? 1 : 0);
    }

    private void sendControl(int flags, long now) {
        downlink.send(Segment.control(conn, flags | (flags == Segment.RST ? 0 : Segment.ACK), sndNxt, ackValue(),
                cfg.window()), now);
    }

    private void sendSynAck() {
        downlink.send(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, cfg.window()), events.now());
    }

    @Override
    public void accept() {
        if (state == State.SYN_RECEIVED) {
            state = State.ESTABLISHED;
            sendSynAck();
        }
    }

    @Override
    public void refuse() {
        if (state == State.CLOSED) {
            return;
        }
        sendControl(Segment.RST, events.now());
        close();
    }

    @Override
    public int sendSpace() {
        return state == State.ESTABLISHED && !eof ? Integer.MAX_VALUE - sendBuf.size() : 0;
    }

    @Override
    public void send(byte[] data) {
        if (state != State.ESTABLISHED || eof) {
            return;
        }
        sendBuf.append(data, 0, data.length);
        trySend(events.now());
    }

    @Override
    public void push() {
        trySend(events.now());
    }

    @Override
    public void finish() {
        if (state == State.CLOSED || eof) {
            return;
        }
        eof = true;
        trySend(events.now());
    }

    @Override
    public void close() {
        state = State.CLOSED;
        cancel(rto);
        cancel(persist);
    }

    private static void cancel(Event e) {
        if (e != null) {
            e.cancel();
        }
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
        return (int) (sendBuf.size() - (sndNxt - sndUna));
    }

    @Override
    public int demand() {
        return Math.max(0, cfg.mss() - unsent());
    }

    @Override
    public int buffered() {
        return sendBuf.size();
    }
}
