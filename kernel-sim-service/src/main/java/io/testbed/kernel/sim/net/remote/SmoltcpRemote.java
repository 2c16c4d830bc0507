package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.ByteQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.net.socket.TcpState;

import java.util.Map;

/**
 * {@code remote.tcp=smoltcp}: the remote end is the machine's own smoltcp model ({@link TcpSocket}, used
 * only through its public API), so a flow can be smoltcp to smoltcp. The socket is driven as embassy-net
 * drives it, but without a polling thread: every arriving segment is an input followed by an output,
 * and its timers (delayed ACK, retransmission) are events at the deadlines it reports. The application
 * behind it reads at once. Its buffers: {@code remote.snd_buffer} to send, {@code remote.window} to
 * receive; everything else (MSS, delayed ACK, RTO) is the machine's {@code tcp.*} settings.
 */
public final class SmoltcpRemote implements RemoteTcp {
    private final long conn;
    private final EventQueue events;
    private final Link downlink;
    private final Host host;
    private final MachineSettings socketSettings;
    private final int mss;
    /** Server bytes the socket's tx buffer has not taken yet: a short tail waits here while the host corks. */
    private final ByteQueue staged = new ByteQueue(Integer.MAX_VALUE);
    private TcpSocket socket;
    private int synWindow;
    private boolean connectRequested;
    private boolean clientFinReported;
    private boolean closed;
    private long highestSent;
    private Event timer;
    private NetEvents netEvents = NetEvents.NONE;

    public SmoltcpRemote(long conn, MachineSettings settings, RemoteTcpSettings cfg, EventQueue events, Link downlink,
                         Host host) {
        this.conn = conn;
        this.events = events;
        this.host = host;
        this.mss = cfg.mss();
        // the window clamp (nic.max_burst_size) and one segment per egress pass (net.segments_per_egress) are
        // Akuma's driver and embassy-net poll loop, not the remote host's: merge fix, see the net-grid report
        this.socketSettings = settings.with(Map.of("socket.tx_buffer", Integer.toString(cfg.sndBuffer()),
                "socket.rx_buffer", Integer.toString(cfg.window()), "nic.max_burst_size", "0",
                "net.segments_per_egress", "0"));
        this.downlink = (s, now) -> {
            if (s.length() > 0) {
                highestSent = Math.max(highestSent, s.seq() + s.length());
            }
            downlink.send(s, now);
        };
    }

    public void reportTo(NetEvents events) {
        this.netEvents = events;
    }

    @Override
    public void input(Segment s) {
        if (closed) {
            return;
        }
        if (socket == null) {
            if (s.has(Segment.SYN) && !connectRequested) {
                connectRequested = true;
                synWindow = s.wnd();
                host.connectRequested();
            } else if (s.has(Segment.RST)) {
                closed = true;
            }
            return;
        }
        if (s.has(Segment.SYN)) {
            if (socket.bytesSent() == 0) {
                sendSynAck(); // the client repeats its SYN: our SYN-ACK was lost
            }
            return;
        }
        int before = socket.tx.size();
        socket.input(s, events.now());
        int acked = before - socket.tx.size();
        deliver();
        stage();
        closeWhenStaged();
        pump();
        if (acked > 0) {
            host.acked(acked);
        }
    }

    /** The application behind the socket reads everything at once; a FIN is reported once. */
    private void deliver() {
        if (!socket.rx.isEmpty()) {
            host.delivered(socket.rx.take(socket.rx.size()));
        }
        if (socket.peerClosed() && !clientFinReported) {
            clientFinReported = true;
            host.clientFinished();
        }
        if (socket.state == TcpState.RESET && !closed) {
            close();
            host.aborted();
        }
    }

    /** One egress pass and the timer for the socket's next deadline. */
    private void pump() {
        if (closed) {
            return;
        }
        long retransmitsBefore = socket.retransmits();
        socket.output(events.now(), downlink);
        for (long i = retransmitsBefore; i < socket.retransmits(); i++) {
            netEvents.retransmit("remote");
        }
        if (socket.finished() || socket.state == TcpState.DONE && socket.peerClosed()) {
            closed = true;
            cancelTimer();
            return;
        }
        long next = nextDeadline();
        if (next >= 0 && (timer == null || timer.cancelled() || timer.time() != next)) {
            cancelTimer();
            timer = events.schedule(Math.max(next, events.now()), Event.CLASS_PROTOCOL, () -> {
                timer = null;
                pump();
            });
        } else if (next < 0) {
            cancelTimer();
        }
    }

    private long nextDeadline() {
        long a = socket.ackDeadline();
        long r = socket.rtoDeadline();
        if (a < 0) {
            return r;
        }
        return r < 0 ? a : Math.min(a, r);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public void accept() {
        if (socket != null || closed || !connectRequested) {
            return;
        }
        // a smoltcp socket opened actively, then given the client's SYN as if it were the answer: the same state
        // as a listener that accepted (sequence numbers are stream offsets on both sides)
        socket = new TcpSocket(conn, 0, true, socketSettings);
        socket.startConnect("machine", 0, events.now());
        socket.output(events.now(), (s, now) -> { });
        socket.input(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, synWindow), events.now());
        socket.output(events.now(), (s, now) -> { });
        sendSynAck();
    }

    private void sendSynAck() {
        downlink.send(Segment.control(conn, Segment.SYN | Segment.ACK, -1, 0, socket.advertisableWindow()), events.now());
    }

    @Override
    public void refuse() {
        if (closed) {
            return;
        }
        if (connectRequested) {
            downlink.send(Segment.control(conn, Segment.RST, 0, 0, 0), events.now());
        }
        close();
    }

    @Override
    public int sendSpace() {
        return socket == null || closed || !socket.canSend() ? 0 : Math.max(0, socket.tx.free() - staged.size());
    }

    @Override
    public void send(byte[] data) {
        if (sendSpace() <= 0) {
            return;
        }
        staged.append(data, 0, data.length);
        stage();
        pump();
    }

    /** Moves staged bytes into the tx buffer: whole segments only while the host corks (smoltcp has no cork). */
    private void stage() {
        if (socket == null || closed || staged.isEmpty()) {
            return;
        }
        int n = Math.min(staged.size(), socket.tx.free());
        if (host.corked() && n == staged.size()) {
            n -= n % mss;
        }
        if (n > 0) {
            socket.tx.append(staged.take(n), 0, n);
        }
    }

    @Override
    public void push() {
        if (socket != null) {
            stage();
            closeWhenStaged();
            pump();
        }
    }

    @Override
    public void finish() {
        if (socket != null && !closed) {
            finishing = true;
            closeWhenStaged();
        }
    }

    private boolean finishing;

    private void closeWhenStaged() {
        if (finishing && staged.isEmpty() && socket.canSend()) {
            finishing = false;
            socket.close();
            pump();
        }
    }

    @Override
    public void close() {
        closed = true;
        cancelTimer();
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public long retransmits() {
        return socket == null ? 0 : socket.retransmits();
    }

    @Override
    public long received() {
        return socket == null ? 0 : socket.bytesReceived();
    }

    @Override
    public int unsent() {
        return socket == null ? 0 : staged.size() + (int) Math.max(0, socket.queuedEnd() - highestSent);
    }

    @Override
    public int demand() {
        return socket == null || closed ? 0 : Math.max(0, mss - unsent());
    }

    @Override
    public int buffered() {
        return socket == null ? 0 : socket.tx.size() + staged.size();
    }
}
