package io.testbed.kernel.sim.net.remote;

/**
 * The real connection behind a simulated one: it supplies which bytes the remote host sends, while the
 * model decides when they are delivered. Implementations do real I/O off the engine thread and report
 * back through {@link UpstreamListener}, whose calls the machine runs on its engine thread.
 */
public interface Upstream {

    /** Starts the real connect; the listener hears connected() or refused(). */
    void connect();

    /** Writes bytes the simulated client sent; the listener hears writeDone() when they are on the wire. */
    void write(byte[] data);

    /** The simulated client sent FIN: half-close the real connection. */
    void shutdownOutput();

    /** The model consumed {@code bytes} of what was read (flow control of the read-ahead). */
    void consumed(int bytes);

    /** Closes the real connection (RST or both sides done). Idempotent. */
    void close();

    /**
     * Whether this upstream reports marks ({@link UpstreamListener#marked}): its own account, after each
     * exchange, of how many bytes it read and wrote before waiting for input. Without marks the virtual
     * clock can only wait for the upstream to go quiet.
     */
    default boolean marks() {
        return false;
    }
}
