package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.net.Segment;

/**
 * The remote host's TCP for one simulated connection, as a pure protocol machine: time comes from the
 * machine's event queue (its timers are events), segments to the machine go out on the downlink, and
 * everything about the real world (the upstream connection, the wall clock) is its {@link Host}'s
 * business. Implementations: {@link SlirpTcp} (QEMU's user network, the default), {@link SmoltcpRemote}
 * (the machine's own smoltcp model as the sender) and {@link SimpleTcp} (a window-limited sender with
 * immediate ACKs, kept for the machine-side analysis in NetworkModelGridTest).
 */
public interface RemoteTcp {

    /** What the TCP tells the owner of the connection; called on the engine thread. */
    interface Host {
        /** The machine's SYN arrived: open the real connection, then call {@link #accept()} or {@link #refuse()}. */
        void connectRequested();

        /** In-order bytes of the client's stream, to be written to the server. */
        void delivered(byte[] data);

        /** The client sent its FIN. */
        void clientFinished();

        /** {@code bytes} of the send buffer were acknowledged and freed. */
        void acked(int bytes);

        /** The client reset the connection. */
        void aborted();

        /**
         * The server's stream may continue at once (TCP_CORK): a segment shorter than the MSS that would
         * empty the send buffer, and is not limited by the window, waits. On the virtual clock the gate
         * corks until the upstream is quiet, has ended or has filled its read-ahead, so segment sizes do
         * not depend on real-time accidents.
         */
        boolean corked();
    }

    /** A segment from the machine arrives, at the event queue's now. */
    void input(Segment s);

    /** The server accepted: answer the SYN with a SYN-ACK. */
    void accept();

    /** The server refused or reset: send RST and close. */
    void refuse();

    /** Bytes the send buffer takes now (0: the TCP is not reading its socket). */
    int sendSpace();

    /** Appends bytes from the server to the send buffer (at most {@link #sendSpace()}). */
    void send(byte[] data);

    /** The host's state changed (it uncorked): send what may go now. */
    void push();

    /** The server finished its stream: a FIN follows the data. */
    void finish();

    /** Closes quietly (the simulated side is gone): timers cancelled, nothing sent. */
    void close();

    boolean closed();

    /** Segments sent again (retransmission timeouts and fast retransmits). */
    long retransmits();

    /** Bytes of the client's stream received in order. */
    long received();

    /** Bytes in the send buffer not yet sent. */
    int unsent();

    /** Bytes in the send buffer, sent or not (not yet acknowledged). */
    int buffered();
}
