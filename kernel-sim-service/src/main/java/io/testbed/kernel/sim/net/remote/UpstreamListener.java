package io.testbed.kernel.sim.net.remote;

/** What a real upstream connection reports; called on the machine's engine thread. */
public interface UpstreamListener {
    void connected();

    void refused(String reason);

    void data(byte[] bytes);

    void eof();

    void reset(String reason);

    void writeDone();

    /**
     * The upstream has read {@code read} and written {@code written} bytes on this connection and waits for
     * input with nothing left to write, or ({@code closed}) has closed it. Counts are cumulative and
     * socket-level; marks arrive in order, independently of the data.
     */
    void marked(long read, long written, boolean closed);

    /** The upstream's marks stopped (its feed is gone): from now on only quiet windows tell. */
    void marksLost(String why);
}
