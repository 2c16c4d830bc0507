package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.remote.Peer;
import io.testbed.kernel.sim.net.remote.Peers;
import io.testbed.kernel.sim.net.remote.RemoteTcp;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;
import io.testbed.kernel.sim.net.remote.Upstream;
import io.testbed.kernel.sim.net.remote.UpstreamListener;

import java.util.function.Function;

/**
 * Where one simulated connection meets its real upstream: everything that reads the wall clock. It opens
 * the real connection when the remote TCP hears the machine's SYN, writes the client's bytes to it, and
 * hands the server's bytes to the remote TCP as its send buffer takes them. On the virtual clock it
 * decides when simulated time must wait for the real world ({@link #holdUntil(long)}: a connect in
 * flight, an answer owed, bytes still to come) and corks the TCP ({@link #corked()}) until the upstream's
 * answer is complete, so segment sizes do not depend on real-time accidents.
 *
 * <p>How it knows the answer is complete depends on the upstream. With <b>marks</b> (an upstream that
 * reports them, {@link Upstream#marks()}, and {@code upstream.sync=marks}) it is exact: the answer is
 * complete when the upstream's latest mark says it waits for input after reading every byte written to
 * it and every byte it wrote has arrived ({@link #settled()}), or its stream ended; wall time plays no part, only
 * {@code upstream.mark_timeout_ms} as a safety net. Otherwise (<b>quiet windows</b>) it is a guess: the
 * upstream has been quiet for {@code upstream.quiet_ms}. Every decision taken because a wall-clock
 * window ran out is counted ({@link #quietDecisions()}), and bytes that arrive after simulated time
 * stopped waiting for them are counted as late arrivals: a run with either may not repeat.
 */
public final class UpstreamGate implements UpstreamListener, RemoteTcp.Host, Peer {
    private final MachineSettings settings;
    private final Ticker wall;
    private final boolean coalesce;
    private final Upstream upstream;
    private RemoteTcp tcp;
    /** Server bytes read ahead and not yet taken by the TCP's send buffer. */
    private final ByteQueue pending = new ByteQueue(Integer.MAX_VALUE);
    private boolean upstreamEof;
    private boolean finGiven;
    private boolean flushAllowed;
    private boolean connectPending;
    private int pendingWrites;
    private boolean awaitingAnswer;
    private long lastActivityWall;
    private long lateArrivals;
    private boolean closed;
    // marks: the upstream's own account (see settled())
    private boolean marks;
    private long written;
    private long arrived;
    private boolean finSent;
    private boolean haveMark;
    private long markRead;
    private long markWritten;
    private boolean markClosed;
    private long marksReceived;
    // decisions taken because a wall-clock window ran out, once per stretch of upstream activity
    private long quietDecisions;
    private long decidedAt = Long.MIN_VALUE;

    /**
     * @param upstream opens the real connection with this gate as its listener; null if the endpoint is
     *                 not allow-listed (the TCP answers with RST)
     * @param tcp      builds the remote TCP with this gate as its host
     */
    public UpstreamGate(MachineSettings settings, Ticker wall, boolean virtualClock,
                        Function<UpstreamListener, Upstream> upstream, Function<RemoteTcp.Host, RemoteTcp> tcp) {
        this.settings = settings;
        this.wall = wall;
        this.coalesce = virtualClock;
        this.upstream = upstream == null ? null : upstream.apply(this);
        this.marks = this.upstream != null && this.upstream.marks() && settings.is(Settings.UPSTREAM_SYNC_MARKS);
        this.tcp = tcp.apply(this);
    }

    /**
     * The peers of one machine: a gate per connection over {@code connector} (which returns null for an
     * endpoint that is not allow-listed) and the wall clock.
     */
    public static Peers peers(MachineSettings settings, Ticker wall, boolean virtualClock, UpstreamConnector connector) {
        return (host, port, tcp) -> new UpstreamGate(settings, wall, virtualClock,
                listener -> connector.open(host, port, listener), tcp);
    }

    public RemoteTcp tcp() {
        return tcp;
    }

    /** A segment from the simulated machine arrives at the remote host. */
    public void receive(Segment s) {
        tcp.input(s);
        if (tcp.closed()) {
            closeUpstream();
        }
    }

    // ---- RemoteTcp.Host ----

    @Override
    public void connectRequested() {
        if (upstream == null) {
            tcp.refuse();
            closed = true;
            return;
        }
        connectPending = true;
        lastActivityWall = wall.nanoTime();
        upstream.connect();
    }

    @Override
    public void delivered(byte[] data) {
        pendingWrites++;
        awaitingAnswer = true;
        written += data.length;
        if (marks) {
            flushAllowed = false; // a fallback taken for the last answer does not cover the next one
        }
        lastActivityWall = wall.nanoTime();
        upstream.write(data);
    }

    @Override
    public void clientFinished() {
        finSent = true; // the server will read the end of its input: its answer to that is owed too
        lastActivityWall = wall.nanoTime();
        upstream.shutdownOutput();
    }

    @Override
    public void acked(int bytes) {
        upstream.consumed(bytes);
        pump();
    }

    @Override
    public void aborted() {
        shutdown();
    }

    /** Moves read-ahead bytes into the TCP's send buffer as far as it takes them, then lets it send. */
    private void pump() {
        if (closed) {
            return;
        }
        int n = Math.min(tcp.sendSpace(), pending.size());
        if (tcp.refillsAtOnce() && corked() && pending.size() < tcp.demand()) {
            n = 0; // the virtual clock waits for the whole refill (holdUntil), as if the server had it ready
        }
        if (n > 0) {
            tcp.send(pending.take(n));
        }
        if (upstreamEof && pending.isEmpty() && !finGiven) {
            finGiven = true;
            tcp.finish();
        }
        tcp.push();
    }

    /**
     * On the virtual clock a short last segment waits until the upstream is quiet, has ended or has
     * filled the read-ahead: how much of the server's output has reached us is an accident of real time.
     */
    @Override
    public boolean corked() {
        return coalesce && !upstreamEof && !flushAllowed && !readAheadFull() && !(marks && settled());
    }

    /**
     * Marks: the upstream's answer to everything sent so far is complete. Its latest mark says it waits
     * for input after reading all {@code written} bytes and writing {@code markWritten}, and exactly those
     * have arrived; or the stream ended (a close mark only says the end of stream is coming: the remote
     * FIN must leave with it, not whenever it happens to arrive). Exact: the same bytes in give the same
     * decision, however long the server took.
     */
    boolean settled() {
        if (upstreamEof) {
            return true;
        }
        if (!haveMark) {
            return false;
        }
        if (markClosed) {
            // the socket's end of stream is certain now but not here yet: the FIN goes with it, so wait for it
            return false;
        }
        return !finSent && markRead == written && arrived == markWritten;
    }

    /** The simulated client has more to send: what reached the server is not a complete request yet. */
    public void clientStillSending() {
        awaitingAnswer = false;
    }

    public long received() {
        return tcp.received();
    }

    public boolean closed() {
        return tcp.closed();
    }

    public long retransmits() {
        return tcp.retransmits();
    }

    /** Upstream bytes that came after the engine stopped holding simulated time for them. */
    public long lateArrivals() {
        return lateArrivals;
    }

    /** Times simulated time went on because a wall-clock window (quiet, first byte, mark timeout) ran out. */
    public long quietDecisions() {
        return quietDecisions;
    }

    /** Marks heard from the upstream. */
    public long marksReceived() {
        return marksReceived;
    }

    /** Whether this connection is synchronised by the upstream's marks (else by quiet windows). */
    public boolean usesMarks() {
        return marks;
    }

    private void decidedByWallClock() {
        if (decidedAt != lastActivityWall) {
            decidedAt = lastActivityWall;
            quietDecisions++;
        }
    }

    /** The simulated side is gone (reset, reaped): drop the real connection and stop the TCP. */
    public void shutdown() {
        tcp.close();
        closeUpstream();
    }

    private void closeUpstream() {
        if (closed) {
            return;
        }
        closed = true;
        connectPending = false;
        pendingWrites = 0;
        awaitingAnswer = false;
        if (upstream != null) {
            upstream.close();
        }
    }

    // ---- UpstreamListener: the real connection reports (on the engine thread) ----

    @Override
    public void connected() {
        connectPending = false;
        lastActivityWall = wall.nanoTime();
        if (!closed) {
            tcp.accept();
            pump();
        }
    }

    @Override
    public void refused(String reason) {
        connectPending = false;
        tcp.refuse();
        closeUpstream();
    }

    @Override
    public void data(byte[] bytes) {
        if (closed) {
            return;
        }
        long wallNow = wall.nanoTime();
        boolean late = marks ? settled() || flushAllowed
                : wallNow - lastActivityWall > (awaitingAnswer ? settings.getLong(Settings.UPSTREAM_FIRST_BYTE_TIMEOUT_NS) : settings.getLong(Settings.UPSTREAM_QUIET_NS));
        if (coalesce && late) {
            // simulated time may have moved on since the upstream owed these bytes: this run may not repeat
            lateArrivals++;
        }
        arrived += bytes.length;
        awaitingAnswer = false;
        flushAllowed = false;
        lastActivityWall = wallNow;
        pending.append(bytes, 0, bytes.length);
        pump();
    }

    @Override
    public void eof() {
        lastActivityWall = wall.nanoTime();
        awaitingAnswer = false;
        if (closed) {
            return;
        }
        upstreamEof = true;
        pump();
    }

    @Override
    public void reset(String reason) {
        if (closed) {
            return;
        }
        tcp.refuse();
        closeUpstream();
    }

    @Override
    public void marked(long read, long written, boolean closed) {
        if (this.closed || !marks) {
            return;
        }
        marksReceived++;
        haveMark = true;
        flushAllowed = false;
        markRead = read;
        markWritten = written;
        markClosed = closed;
        lastActivityWall = wall.nanoTime();
        pump();
    }

    @Override
    public void marksLost(String why) {
        if (marks) {
            marks = false; // quiet windows from now on; each of their decisions is counted
            lastActivityWall = wall.nanoTime();
        }
    }

    @Override
    public void writeDone() {
        if (pendingWrites > 0) {
            pendingWrites--;
        }
        lastActivityWall = wall.nanoTime();
    }

    private int unsent() {
        return pending.size() + tcp.unsent();
    }

    /**
     * On the virtual clock: the real time until which the engine must not advance simulated time for
     * this connection, or -1. With marks it holds while a real connect is in flight and while the answer
     * is not {@link #settled()} and the TCP wants more than is read ahead ({@link RemoteTcp#demand()}: less
     * than a segment unsent; slirp: a refill of its buffer), up to {@code upstream.mark_timeout_ms} after
     * the last sign of life. With quiet windows it holds while a real connect or write is in flight, while
     * an answer is owed (up to {@code upstream.first_byte_timeout_ms} after a write), and while bytes keep
     * arriving (until the upstream has been quiet for {@code upstream.quiet_ms}) and the TCP wants more.
     * A hold that ends because its window ran out is counted ({@link #quietDecisions()}).
     */
    public long holdUntil(long wallNow) {
        if (closed || tcp.closed()) {
            return -1;
        }
        long until;
        int unsent = unsent();
        if (marks) {
            if (!connectPending && (settled() || flushAllowed || pending.size() >= tcp.demand() || readAheadFull())) {
                return -1;
            }
            until = lastActivityWall + settings.getLong(Settings.UPSTREAM_MARK_TIMEOUT_NS);
            if (until > wallNow) {
                return until;
            }
            // no mark in all that time: decide as a quiet window would, and say so
            decidedByWallClock();
            if (!connectPending && !flushAllowed) {
                flushAllowed = true;
                pump();
            }
            return -1;
        }
        if (connectPending || pendingWrites > 0) {
            until = lastActivityWall + settings.getLong(Settings.UPSTREAM_FIRST_BYTE_TIMEOUT_NS);
        } else if (upstreamEof || pending.size() >= tcp.demand() || (unsent > 0 && flushAllowed) || readAheadFull()) {
            return -1;
        } else {
            until = lastActivityWall + (awaitingAnswer ? settings.getLong(Settings.UPSTREAM_FIRST_BYTE_TIMEOUT_NS) : settings.getLong(Settings.UPSTREAM_QUIET_NS));
        }
        if (until > wallNow) {
            return until;
        }
        decidedByWallClock();
        return -1;
    }

    /**
     * The read-ahead is used up: the real upstream cannot send more until the simulated client
     * acknowledges some, so waiting for it would only freeze simulated time. Exact (the reader blocks
     * only with every byte of its credit here), so the decision repeats from run to run.
     */
    private boolean readAheadFull() {
        return pending.size() + tcp.buffered() >= settings.getInt(Settings.UPSTREAM_BUFFER_BYTES);
    }

    /**
     * Virtual clock, quiet windows: if the upstream has been quiet long enough, the data it sent so far is
     * all there is for now: a short last segment may go. Returns whether anything changed.
     */
    public boolean releaseIfQuiet(long wallNow) {
        if (marks || closed || tcp.closed() || flushAllowed || unsent() <= 0 || upstreamEof || connectPending || pendingWrites > 0) {
            return false;
        }
        if (wallNow - lastActivityWall < settings.getLong(Settings.UPSTREAM_QUIET_NS)) {
            return false;
        }
        decidedByWallClock();
        flushAllowed = true;
        pump();
        return true;
    }
}
