package io.testbed.kernel.sim.net;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.time.Trace;
import io.testbed.kernel.sim.time.SeededRandom;
import io.testbed.kernel.sim.net.link.BasicLink;
import io.testbed.kernel.sim.net.link.JitterLink;
import io.testbed.kernel.sim.net.link.Link;
import io.testbed.kernel.sim.net.link.LossLink;
import io.testbed.kernel.sim.net.nic.Nic;
import io.testbed.kernel.sim.net.remote.RemoteTcps;
import io.testbed.kernel.sim.net.remote.Peer;
import io.testbed.kernel.sim.net.remote.Peers;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.net.socket.TcpState;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine's network: the sockets (smoltcp's interface), the NIC, the link in each direction and the
 * remote hosts. Packets move between the NIC and the sockets only in {@link #poll(long)}, which the
 * network thread runs; whatever else happens on the wire is driven by the link's events.
 */
public final class NetworkStack {
    private final MachineSettings settings;
    // settings read per event, cached
    private final long costPollBase;
    private final long costPollFrame;
    private final long closedLingerNs;
    private final int maxSockets;
    private final EventQueue events;
    private final Trace trace;
    private final Peers peers;
    private final Nic nic;
    private final BasicLink basicUplink;
    private final BasicLink basicDownlink;
    private final Link uplink;
    private final Link downlink;
    private final java.util.List<LossLink> lossLinks = new java.util.ArrayList<>();
    private NetEvents netEvents = NetEvents.NONE;
    private long socketRetransmits;
    private long remoteRetransmits;
    private long lateArrivalsDone;
    private long quietDecisionsDone;
    private long marksDone;
    private final Map<Long, TcpSocket> sockets = new TreeMap<>();
    private final Map<Long, Peer> remotes = new TreeMap<>();
    private long nextSocketId = 1;
    private long polls;
    private long framesIn;
    private long segmentsOut;
    private int lastPollDataOwner = -1;
    private LocalEndpoint endpoint;

    /** @param peers opens the far end of each connection the machine starts (the runtime's upstream gates) */
    public NetworkStack(MachineSettings settings, EventQueue events, Trace trace, SeededRandom random, Peers peers) {
        this.settings = settings;
        this.costPollBase = settings.getLong(Settings.COST_POLL_BASE_NS);
        this.costPollFrame = settings.getLong(Settings.COST_POLL_FRAME_NS);
        this.closedLingerNs = settings.getLong(Settings.TCP_CLOSED_LINGER_NS);
        this.maxSockets = settings.getInt(Settings.SOCKET_MAX);
        this.events = events;
        this.trace = trace;
        this.peers = peers;
        this.nic = new Nic(events, settings.getInt(Settings.NIC_RX_BUFFERS), settings.getInt(Settings.NIC_QUEUE), settings.is(Settings.NIC_FULL_POLICY_DROP), settings.getLong(Settings.NIC_REFILL_NS));
        this.basicDownlink = new BasicLink(events, settings.getLong(Settings.LINK_BANDWIDTH_BPS), settings.getLong(Settings.LINK_LATENCY_NS), nic::receive);
        this.basicUplink = new BasicLink(events, settings.getLong(Settings.LINK_BANDWIDTH_BPS), settings.getLong(Settings.LINK_LATENCY_NS), this::arriveAtRemote);
        this.downlink = withFaults(basicDownlink, events, random);
        this.uplink = withFaults(basicUplink, events, random);
    }

    /** Wraps a basic link in the configured faults: loss(jitter(basic)). */
    private Link withFaults(BasicLink basic, EventQueue events, SeededRandom random) {
        Link link = basic;
        if (settings.getLong(Settings.LINK_JITTER_NS) > 0) {
            link = new JitterLink(link, events, random, settings.getLong(Settings.LINK_JITTER_NS));
        }
        if (settings.getLong(Settings.LINK_LOSS_PPM) > 0) {
            LossLink loss = new LossLink(link, random, settings.getLong(Settings.LINK_LOSS_PPM));
            lossLinks.add(loss);
            link = loss;
        }
        return link;
    }

    /** Where the stack reports retransmissions, windows and buffer occupancy. */
    public void reportTo(NetEvents events) {
        this.netEvents = events;
    }

    /** Connects a local endpoint (the interactive sessions): its frames come off the NIC, what it queued leaves at polls. */
    public void attach(LocalEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    private boolean endpointOwns(long conn) {
        return endpoint != null && endpoint.owns(conn);
    }

    /** A new socket, or null when the machine's socket table is full. */
    public TcpSocket open(int ownerTid, boolean nonBlocking) {
        if (sockets.size() >= maxSockets) {
            return null;
        }
        TcpSocket s = new TcpSocket(nextSocketId++, ownerTid, nonBlocking, settings);
        s.reportTo(netEvents);
        sockets.put(s.id, s);
        return s;
    }

    /** Starts a connection: the SYN leaves at the next poll; the remote answers by the upstream's fate. */
    public void connect(TcpSocket s, String host, int port) {
        s.startConnect(host, port, events.now());
        Peer peer = peers.open(host, port, far -> RemoteTcps.create(s.id, settings, events, downlink, far, netEvents));
        remotes.put(s.id, peer);
    }

    /** The application closed the socket (FIN at the next poll). */
    public void close(TcpSocket s) {
        boolean handshaking = s.state == TcpState.SYN_PENDING || s.state == TcpState.SYN_SENT;
        s.close();
        s.closedAt = events.now();
        if (handshaking) {
            // closed before the handshake ended (connect timed out): the socket forgets the connection, so its
            // remote end would wait forever with its real upstream connection open; drop both now
            dropRemote(s.id);
        }
    }

    /** The application is about to send more on this socket. */
    public void sending(TcpSocket s) {
        Peer peer = remotes.get(s.id);
        if (peer != null) {
            peer.clientStillSending();
        }
    }

    /**
     * The thread {@code tid} ended: sockets it closed but that still wait for their peer (a silent
     * server never sending its FIN) are reset, so a machine with no threads left goes quiet instead of
     * running on for a socket nobody owns.
     */
    public void abortOwnedBy(int tid) {
        for (TcpSocket s : new ArrayList<>(sockets.values())) {
            if (s.ownerTid == tid) {
                abort(s);
            }
        }
    }

    /** Drops a socket at once (its thread died): the remote host gets a RST. */
    public void abort(TcpSocket s) {
        if (sockets.remove(s.id) != null) {
            socketRetransmits += s.retransmits();
        }
        dropRemote(s.id);
    }

    /** Forgets a connection's remote end, keeping its figures, and closes its real upstream connection. */
    private void dropRemote(long id) {
        Peer peer = remotes.remove(id);
        if (peer != null) {
            keepFigures(peer);
            peer.shutdown();
        }
    }

    /** A remote end is forgotten: its figures stay in the machine's totals. */
    private void keepFigures(Peer gone) {
        remoteRetransmits += gone.retransmits();
        lateArrivalsDone += gone.lateArrivals();
        quietDecisionsDone += gone.quietDecisions();
        marksDone += gone.marksReceived();
    }

    private void arriveAtRemote(Segment s) {
        if (endpointOwns(s.conn())) {
            return; // e.g. an echo reached the session's client
        }
        Peer peer = remotes.get(s.conn());
        if (peer != null) {
            peer.receive(s);
            TcpSocket client = sockets.get(s.conn());
            if (client != null && client.queuedEnd() > peer.received()) {
                peer.clientStillSending();
            }
        }
    }

    /**
     * One poll of the stack: take the received frames into their sockets, repost the RX buffers, send
     * what every socket owes, free finished sockets. Returns the CPU time it took.
     */
    public long poll(long now) {
        polls++;
        List<Segment> frames = nic.takeReceived(now);
        lastPollDataOwner = -1;
        for (Segment f : frames) {
            framesIn++;
            if (endpointOwns(f.conn())) {
                endpoint.received(f, now);
                continue;
            }
            TcpSocket s = sockets.get(f.conn());
            if (s != null) {
                long before = s.bytesReceived();
                s.input(f, now, uplink); // smoltcp emits process()'s reply during ingress
                if (s.bytesReceived() > before) {
                    netEvents.rxOccupancy(s.rx.size());
                    if (lastPollDataOwner < 0) {
                        lastPollDataOwner = s.ownerTid;
                    }
                }
            } else if (!f.has(Segment.RST)) {
                uplink.send(Segment.control(f.conn(), Segment.RST, 0, 0, 0), now);
            }
        }
        int out = endpoint == null ? 0 : endpoint.flush(now, uplink);
        List<Long> done = null; // made when needed: most polls free nothing
        List<TcpSocket> lingered = null;
        if (!sockets.isEmpty()) {
            for (TcpSocket s : sockets.values()) {
                out += s.output(now, uplink);
                if (s.finished()) {
                    (done == null ? done = new ArrayList<>() : done).add(s.id);
                } else if (closedLingerNs > 0 && s.closedByApp() && now - s.closedAt >= closedLingerNs) {
                    (lingered == null ? lingered = new ArrayList<>() : lingered).add(s);
                }
            }
        }
        segmentsOut += out;
        if (done != null) {
            for (Long id : done) {
                socketRetransmits += sockets.get(id).retransmits();
                sockets.remove(id);
                Peer peer = remotes.get(id);
                if (peer != null && peer.closed()) {
                    Peer gone = remotes.remove(id);
                    keepFigures(gone);
                }
            }
        }
        if (lingered != null) {
            for (TcpSocket s : lingered) {
                abort(s); // closed too long ago and the peer never finished: reset it
            }
        }
        reapRemotes();
        trace.record(now, 3, frames.size(), out);
        return costPollBase + (long) (frames.size() + out) * costPollFrame;
    }

    /**
     * Fast-forward: until when (exclusive) a {@link #poll} has no effect other than its counter and its trace
     * record (no frame to take, nothing to send, no timer due, no socket to free or reset), or {@code now}.
     * The bound is the earliest TCP timer (smoltcp's poll_at, {@link TcpSocket#pollAt}) and linger deadline;
     * frames and keystrokes only arrive with events, which end a fast-forward anyway.
     */
    public long quietUntil(long now) {
        if (nic.pollWouldAct() || (endpoint != null && endpoint.sendQueued())) {
            return now;
        }
        long until = Long.MAX_VALUE;
        for (TcpSocket s : sockets.values()) {
            if (s.finished()) {
                return now;
            }
            long at = s.pollAt(now);
            if (at >= 0) {
                until = Math.min(until, at);
            }
            if (closedLingerNs > 0 && s.closedByApp()) {
                until = Math.min(until, s.closedAt + closedLingerNs);
            }
        }
        for (Map.Entry<Long, Peer> e : remotes.entrySet()) {
            if (e.getValue().closed() && !sockets.containsKey(e.getKey())) {
                return now;
            }
        }
        return Math.max(until, now);
    }

    /** Fast-forward: {@code n} polls with nothing to do were crossed. */
    public void addPolls(long n) {
        polls += n;
    }

    private void reapRemotes() {
        if (remotes.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<Long, Peer>> it = remotes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Peer> e = it.next();
            if (e.getValue().closed() && !sockets.containsKey(e.getKey())) {
                keepFigures(e.getValue());
                it.remove();
            }
        }
    }

    /** Lets short segments go on connections whose upstream went quiet (see {@link Peer#releaseIfQuiet}). */
    public void releaseQuietUpstreams(long wallNow) {
        for (Peer p : remotes.values()) {
            p.releaseIfQuiet(wallNow);
        }
    }

    /** The earliest real time until which simulated time must not advance, or -1 (see {@link Peer#holdUntil}). */
    public long holdUntil(long wallNow) {
        long until = -1;
        for (Peer p : remotes.values()) {
            long u = p.holdUntil(wallNow);
            if (u > 0 && (until < 0 || u < until)) {
                until = u;
            }
        }
        return until;
    }

    /**
     * When the stack next needs a poll (smoltcp Interface::poll_at): the earliest TCP timer of any socket
     * (delayed ACK, retransmission), the current time if a socket still has something to send (it sends
     * one segment per poll), or -1: an interrupt-driven stack needs a timer for it.
     */
    public long nextTimer() {
        long now = events.now();
        long t = -1;
        for (TcpSocket s : sockets.values()) {
            long d = s.pollAt(now);
            if (d >= 0 && (t < 0 || d < t)) {
                t = d;
            }
        }
        return t;
    }

    /** Remote ends (simulated servers, each with its real upstream connection) still kept. */
    public int remoteCount() {
        return remotes.size();
    }

    /** Nothing in flight anywhere: no socket, no remote connection, no frame. */
    public boolean idle() {
        return sockets.isEmpty() && remotes.isEmpty() && nic.idle();
    }

    /** Closes every real connection (machine deleted). */
    public void shutdown() {
        remotes.values().forEach(Peer::shutdown);
        remotes.clear();
        sockets.clear();
    }

    /** The owner of the first socket that received data in the last poll, or -1. */
    public int lastPollDataOwner() {
        return lastPollDataOwner;
    }

    public int socketCount() {
        return sockets.size();
    }

    public long polls() {
        return polls;
    }

    public long framesIn() {
        return framesIn;
    }

    public long segmentsOut() {
        return segmentsOut;
    }

    public Nic nic() {
        return nic;
    }

    /** Retransmissions by the remote hosts. */
    public long remoteRetransmits() {
        return remoteRetransmits + remotes.values().stream().mapToLong(Peer::retransmits).sum();
    }

    /** Retransmissions by the machine's own sockets. */
    public long socketRetransmits() {
        return socketRetransmits + sockets.values().stream().mapToLong(TcpSocket::retransmits).sum();
    }

    /** Upstream bytes that arrived after simulated time stopped waiting for them (the run may not repeat). */
    public long lateArrivals() {
        return lateArrivalsDone + remotes.values().stream().mapToLong(Peer::lateArrivals).sum();
    }

    /**
     * Times simulated time went on because a wall-clock window ran out (quiet windows, first-byte and mark
     * timeouts): a run with any may not repeat. Zero when every upstream answered with marks.
     */
    public long quietDecisions() {
        return quietDecisionsDone + remotes.values().stream().mapToLong(Peer::quietDecisions).sum();
    }

    /** Marks heard from upstreams that report them. */
    public long upstreamMarks() {
        return marksDone + remotes.values().stream().mapToLong(Peer::marksReceived).sum();
    }

    public long segmentsLost() {
        return lossLinks.stream().mapToLong(LossLink::dropped).sum();
    }

    public BasicLink downlink() {
        return basicDownlink;
    }
}
