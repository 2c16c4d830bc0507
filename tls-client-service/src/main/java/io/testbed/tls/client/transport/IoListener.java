package io.testbed.tls.client.transport;

/**
 * Told about a download's I/O as it happens, on the download's own thread (so it must not block):
 * the live side of {@link IoStats}, which the service's metrics use so that counters grow during a
 * download rather than only at its end. Every method does nothing by default.
 */
public interface IoListener {
    IoListener NONE = new IoListener() {
    };

    /** A recvfrom returned {@code bytes} (TLS ciphertext; 0 at end of stream). */
    default void read(int bytes) {
    }

    /** A recvfrom or sendto returned EAGAIN. */
    default void wouldBlock() {
    }

    /** A nanosleep returned after {@code sleptNs} on the kernel's clock. */
    default void slept(long sleptNs) {
    }

    /** A TLS record was received whole. */
    default void tlsRecord() {
    }

    /** A TLS handshake completed in {@code ns} on the kernel's clock (connect's exit to the handshake's last syscall). */
    default void handshake(long ns) {
    }

    /** {@code bytes} more pack bytes arrived (reported at each progress step). */
    default void packBytes(long bytes) {
    }

    /** A progress report's instantaneous speed: bytes per second of the kernel's clock since the previous report. */
    default void throughput(double bytesPerSecond) {
    }
}
