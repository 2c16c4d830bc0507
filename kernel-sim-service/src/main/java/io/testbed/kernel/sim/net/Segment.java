package io.testbed.kernel.sim.net;

/**
 * A TCP segment of one simulated connection. Sequence numbers are byte offsets in each direction's
 * stream (SYN at -1 is implicit; a FIN takes the offset after the last byte and acknowledging it
 * acknowledges offset + 1), which keeps the model readable without changing its timing.
 *
 * @param conn the connection (the simulated socket's id)
 * @param flags {@link #SYN}, {@link #ACK}, {@link #FIN}, {@link #RST}
 * @param wnd  the sender's advertised receive window
 */
public record Segment(long conn, int flags, long seq, long ack, int wnd, byte[] data) {
    public static final int SYN = 1;
    public static final int ACK = 2;
    public static final int FIN = 4;
    public static final int RST = 8;
    /** Ethernet + IPv4 + TCP headers. */
    public static final int HEADER_BYTES = 54;
    private static final byte[] EMPTY = new byte[0];

    public static Segment control(long conn, int flags, long seq, long ack, int wnd) {
        return new Segment(conn, flags, seq, ack, wnd, EMPTY);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int length() {
        return data.length;
    }

    /** Bytes on the wire (Ethernet minimum frame 60 bytes without FCS). */
    public int wireBytes() {
        return Math.max(60, HEADER_BYTES + data.length);
    }
}
