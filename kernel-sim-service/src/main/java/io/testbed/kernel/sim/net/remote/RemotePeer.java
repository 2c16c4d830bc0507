package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.engine.Event;
import io.testbed.kernel.sim.engine.EventQueue;
import io.testbed.kernel.sim.engine.Ticker;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;

/**
 * The remote host's end of one simulated connection: a conventional TCP sender and receiver (window
 * limited, immediate ACKs, go-back-N on a retransmission timeout, a persist timer for a closed
 * window). Its payload comes from a real {@link Upstream}; bytes are available to send as soon as the
 * engine has them, and on the virtual clock the engine holds simulated time while the upstream owes
 * an answer (see {@link #holdUntil(long)}), so the server's response time counts as zero and runs
 * repeat exactly.
 */
public final class RemotePeer implements UpstreamListener {
    private enum State { LISTEN, CONNECTING, ESTABLISHED, CLOSED }

    private final long conn;
    private final MachineSettings settings;
    private final EventQueue events;
    private final Link downlink;
    private final Ticker wall;
    private final Upstream upstream;
    private State state = State.LISTEN;

    private final ByteQueue sendBuf = new ByteQueue(Integer.MAX_VALUE);
    private long sndUna;
    private long sndNxt;
    /** Highest sequence number sent (a window probe advances it without advancing SND.NXT, as in BSD). */
    private long sndMax;
    private int peerWnd;
    private boolean upstreamEof;
    private boolean finSent;
    private boolean finAcked;
    private long rcvNxt;
    private boolean clientFin;
    private Event rto;
    private long rtoNs;
    private Event persist;
    private int persistShift;

    // what the engine needs to know to hold the virtual clock
    private boolean connectPending;
    private int pendingWrites;
    private boolean awaitingAnswer;
    private long lastActivityWall;
    private long retransmits;
    private long lateArrivals;
    /** Virtual clock: a segment shorter than the MSS waits until the upstream is quiet or at EOF. */
    private final boolean coalesce;
    private io.testbed.kernel.sim.net.NetEvents netEvents = io.testbed.kernel.sim.net.NetEvents.NONE;

    public void reportTo(io.testbed.kernel.sim.net.NetEvents events) {
        this.netEvents = events;
    }
    private boolean flushAllowed;

    /** @param upstream the real connection, or null if the endpoint is not allow-listed (answered with RST) */
    public RemotePeer(long conn, MachineSettings settings, EventQueue events, Link downlink, Ticker wall,
                      boolean virtualClock, UpstreamConnectorHandle upstream) {
        this.coalesce = virtualClock;
        this.conn = conn;
        this.settings = settings;
        this.events = events;
        this.downlink = downlink;
        this.wall = wall;
        this.upstream = upstream == null ? null : upstream.open(this);
        this.rtoNs = settings.remoteRtoNs;
    }

    /** Lets the machine bind the upstream to this peer as its listener. */
    @FunctionalInterface
    public interface UpstreamConnectorHandle {
        Upstream open(UpstreamListener listener);
    }

    public long conn() {
        return conn;
    }

    public boolean closed() {
        return state == State.CLOSED;
    }

    public long retransmits() {
        return retransmits;
    }

    /** Upstream bytes that came after the engine stopped holding simulated time for them. */
    public long lateArrivals() {
        return lateArrivals;
    }

    /** A segment from the simulated machine arrives. */
    public void receive(Segment s) {
        long now = events.now();
        if (state == State.CLOSED) {
            return;
        }
        if (s.has(Segment.RST)) {
            shutdown();
            return;
        }
        if (s.has(Segment.SYN)) {
            if (state == State.LISTEN) {
                peerWnd = s.wnd();
                if (upstream == null) {
                    sendControl(Segment.RST, now);
                    shutdown();
                } else {
                    state = State.CONNECTING;
                    connectPending = true;
                    lastActivityWall = wall.nanoTime();
                    upstream.connect();
                }
            } else if (state == State.ESTABLISHED) {
                // the client sent its SYN again: our SYN-ACK never reached it (a full NIC queue drops frames), so
                // answer again as TCP does in SYN-RECEIVED; else its connect can only time out
                downlink.send(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, settings.remoteWindow), now);
            }
            return;
        }
        if (state != State.ESTABLISHED) {
            return;
        }
        if (s.has(Segment.ACK)) {
            // acceptable up to the highest byte ever sent (SND.MAX), which includes an accepted window probe
            long acked = Math.min(s.ack(), sndMax + (finSent ? 1 : 0));
            if (acked > sndUna) {
                long dataAcked = Math.min(acked, sndMax) - sndUna;
                if (dataAcked > 0) {
                    sendBuf.discard((int) dataAcked);
                    sndUna += dataAcked;
                    upstream.consumed((int) dataAcked);
                }
                if (sndNxt < sndUna) {
                    sndNxt = sndUna; // the probe byte was accepted: send on after it
                }
                if (finSent && acked == sndNxt + 1) {
                    finAcked = true;
                }
                rtoNs = settings.remoteRtoNs;
                cancel(rto);
                rto = null;
            }
            peerWnd = s.wnd();
            if (peerWnd > 0 && persist != null) {
                // the window opened: the persist timer has nothing left to probe
                cancel(persist);
                persist = null;
                persistShift = 0;
            }
        }
        int len = s.length();
        if (len > 0) {
            if (s.seq() == rcvNxt && !clientFin) {
                rcvNxt += len;
                pendingWrites++;
                awaitingAnswer = true;
                lastActivityWall = wall.nanoTime();
                upstream.write(s.data());
            }
            sendControl(Segment.ACK, now);
        }
        if (s.has(Segment.FIN) && s.seq() + len == rcvNxt && !clientFin) {
            clientFin = true;
            upstream.shutdownOutput();
            sendControl(Segment.ACK, now);
        }
        trySend(now);
        maybeFinish();
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
            int len = (int) Math.min(settings.mss, Math.min(unsent, room));
            if (len == unsent && len < settings.mss && len < room && coalesce && !upstreamEof && !flushAllowed
                    && !readAheadFull()) {
                // how much of the server's output has reached us is an accident of real time: send a short
                // segment only at EOF or once the server has gone quiet, so segment sizes repeat exactly
                break;
            }
            byte[] data = sendBuf.peek((int) inFlight, len);
            downlink.send(new Segment(conn, Segment.ACK, sndNxt, ackValue(), settings.remoteWindow, data), now);
            sndNxt += len;
            sndMax = Math.max(sndMax, sndNxt);
        }
        long unsent = sendBuf.size() - (sndNxt - sndUna);
        if (unsent == 0 && upstreamEof && !finSent) {
            downlink.send(Segment.control(conn, Segment.FIN | Segment.ACK, sndNxt, ackValue(), settings.remoteWindow), now);
            finSent = true;
        }
        boolean outstanding = sndNxt > sndUna || (finSent && !finAcked);
        if (outstanding && rto == null) {
            rto = events.schedule(now + rtoNs, Event.CLASS_PROTOCOL, this::onRto);
        }
        if (unsent > 0 && peerWnd == 0 && !outstanding && persist == null) {
            // a zero window with nothing in flight: only a probe can learn that it opened again
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

    /**
     * Zero-window probe (BSD's persist timer): with the window closed and nothing in flight, one byte at
     * SND.UNA. It advances SND.MAX, not SND.NXT, so the receiver may accept it (then its ACK moves
     * SND.UNA and SND.NXT past it) or trim it and answer with its window. If the window opened or data
     * is in flight, no probe is sent: the ACKs (or the retransmission timer) carry the connection on.
     */
    private void onPersist() {
        persist = null;
        long now = events.now();
        if (state != State.ESTABLISHED) {
            return;
        }
        boolean nothingInFlight = sndNxt == sndUna;
        if (peerWnd == 0 && nothingInFlight && sendBuf.size() > 0) {
            byte[] probe = sendBuf.peek(0, 1);
            downlink.send(new Segment(conn, Segment.ACK, sndUna, ackValue(), settings.remoteWindow, probe), now);
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
        return settings.remoteRtoNs << persistShift;
    }

    private long ackValue() {
        return rcvNxt + (clientFin ? 1 : 0);
    }

    private void sendControl(int flags, long now) {
        downlink.send(Segment.control(conn, flags | (flags == Segment.RST ? 0 : Segment.ACK), sndNxt, ackValue(),
                settings.remoteWindow), now);
    }

    private void maybeFinish() {
        if (finAcked && clientFin) {
            shutdown();
        }
    }

    /**
     * The simulated client has more to send on this connection (queued in its socket, or a sendto just
     * arrived): what reached the server so far is not a complete request, so no answer is owed yet.
     * Without this, a write that gets no answer (TLS 1.3's compatibility ChangeCipherSpec ahead of the
     * client's Finished) would hold simulated time while the client is trying to send the rest.
     */
    public void clientStillSending() {
        awaitingAnswer = false;
    }

    /** Bytes of the client's stream the remote has received. */
    public long received() {
        return rcvNxt;
    }

    /** The simulated side is gone (reset, reaped): drop the real connection. */
    public void shutdown() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        connectPending = false;
        pendingWrites = 0;
        awaitingAnswer = false;
        cancel(rto);
        cancel(persist);
        if (upstream != null) {
            upstream.close();
        }
    }

    private static void cancel(Event e) {
        if (e != null) {
            e.cancel();
        }
    }

    // ---- UpstreamListener: the real connection reports (on the engine thread) ----

    @Override
    public void connected() {
        connectPending = false;
        lastActivityWall = wall.nanoTime();
        if (state != State.CONNECTING) {
            return;
        }
        state = State.ESTABLISHED;
        downlink.send(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, settings.remoteWindow), events.now());
    }

    @Override
    public void refused(String reason) {
        connectPending = false;
        if (state == State.CONNECTING) {
            sendControl(Segment.RST, events.now());
        }
        shutdown();
    }

    @Override
    public void data(byte[] bytes) {
        if (state == State.CLOSED) {
            return;
        }
        long wallNow = wall.nanoTime();
        if (coalesce && wallNow - lastActivityWall > (awaitingAnswer ? settings.upstreamFirstByteNs : settings.upstreamQuietNs)) {
            // simulated time may have moved on since the upstream owed these bytes: this run may not repeat
            lateArrivals++;
        }
        awaitingAnswer = false;
        flushAllowed = false;
        lastActivityWall = wallNow;
        sendBuf.append(bytes, 0, bytes.length);
        trySend(events.now());
    }

    @Override
    public void eof() {
        lastActivityWall = wall.nanoTime();
        awaitingAnswer = false;
        if (state == State.CLOSED) {
            return;
        }
        upstreamEof = true;
        trySend(events.now());
    }

    @Override
    public void reset(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        sendControl(Segment.RST, events.now());
        shutdown();
    }

    @Override
    public void writeDone() {
        if (pendingWrites > 0) {
            pendingWrites--;
        }
        lastActivityWall = wall.nanoTime();
    }

    /**
     * On the virtual clock: the real time until which the engine must not advance simulated time for
     * this connection, or -1. It holds while a real connect or write is in flight, while an answer is
     * owed (up to {@code upstream.first_byte_timeout_ms} after a write), and while bytes keep arriving
     * (until the upstream has been quiet for {@code upstream.quiet_ms}) with nothing left to send.
     */
    public long holdUntil(long wallNow) {
        if (state == State.CLOSED) {
            return -1;
        }
        long until;
        long unsent = sendBuf.size() - (sndNxt - sndUna);
        if (connectPending || pendingWrites > 0) {
            until = lastActivityWall + settings.upstreamFirstByteNs;
        } else if (upstreamEof || unsent >= settings.mss || (unsent > 0 && flushAllowed) || readAheadFull()) {
            return -1;
        } else {
            until = lastActivityWall + (awaitingAnswer ? settings.upstreamFirstByteNs : settings.upstreamQuietNs);
        }
        return until > wallNow ? until : -1;
    }

    /**
     * The read-ahead is used up: the real upstream cannot send more until the simulated client
     * acknowledges some, so waiting for it would only freeze simulated time. Exact (the reader blocks
     * only with every byte of its credit here), so the decision repeats from run to run.
     */
    private boolean readAheadFull() {
        return sendBuf.size() >= settings.upstreamBufferBytes;
    }

    /**
     * Virtual clock: if the upstream has been quiet long enough, the data it sent so far is all there is
     * for now: a short last segment may go. Returns whether anything changed.
     */
    public boolean releaseIfQuiet(long wallNow) {
        long unsent = sendBuf.size() - (sndNxt - sndUna);
        if (state != State.ESTABLISHED || flushAllowed || unsent <= 0 || upstreamEof || connectPending || pendingWrites > 0) {
            return false;
        }
        if (wallNow - lastActivityWall < settings.upstreamQuietNs) {
            return false;
        }
        flushAllowed = true;
        trySend(events.now());
        return true;
    }

    public boolean quiet() {
        return state == State.CLOSED;
    }
}
