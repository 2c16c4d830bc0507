package io.testbed.tls.client.transport;

import io.testbed.kernel.api.UserCpuKind;

/**
 * The I/O figures of one download, across all of its connections. Written only by the download's
 * own thread; read at any time by others (the fields are volatile, each single-writer).
 *
 * <p>Times are the kernel's (simulated on kernel-sim, host nanoTime on the host kernel): the first
 * syscall's entry and the last syscall's exit bound the simulated duration.
 */
public final class IoStats {
    private volatile long syscalls;
    private volatile long reads;
    private volatile long bytesReceived;
    private volatile long bytesSent;
    private volatile long wouldBlocks;
    private volatile long sleeps;
    private volatile long sleepNs;
    private volatile long tlsRecords;
    private volatile long connections;
    private volatile long userCpuNs;
    private volatile long userCpuTlsNs;
    private volatile long userCpuPackNs;
    private final SizeHistogram recordSizes = new SizeHistogram();
    private final SizeHistogram readSizes = new SizeHistogram();
    private volatile long firstEntryNs = -1;
    private volatile long lastExitNs = -1;
    private final IoListener listener;

    public IoStats() {
        this(IoListener.NONE);
    }

    /** @param listener told of every figure as it is counted (the service's live metrics) */
    public IoStats(IoListener listener) {
        this.listener = listener == null ? IoListener.NONE : listener;
    }

    /** Where the figures go live, besides these fields. */
    public IoListener listener() {
        return listener;
    }

    void syscall(long entryNs, long exitNs) {
        syscalls++;
        if (firstEntryNs < 0) {
            firstEntryNs = entryNs;
        }
        lastExitNs = exitNs;
    }

    void sleep(long sleptNs) {
        sleeps++;
        sleepNs += Math.max(0, sleptNs);
        listener.slept(Math.max(0, sleptNs));
    }

    void read(int bytes) {
        reads++;
        bytesReceived += bytes;
        if (bytes > 0) {
            readSizes.add(bytes);
        }
        listener.read(bytes);
    }

    void userCpu(UserCpuKind kind, long ns) {
        if (ns <= 0) {
            return;
        }
        userCpuNs += ns;
        switch (kind) {
            case TLS -> userCpuTlsNs += ns;
            case PACK -> userCpuPackNs += ns;
            case OTHER -> { }
        }
    }

    /** A TLS connection was opened (socket, connect; the handshake follows). */
    public void connection() {
        connections++;
    }

    void sent(int bytes) {
        bytesSent += bytes;
    }

    void wouldBlock() {
        wouldBlocks++;
        listener.wouldBlock();
    }

    /** A TLS record was received whole (header plus {@code length} bytes of body). */
    void tlsRecord(int length) {
        tlsRecords++;
        recordSizes.add(length);
        listener.tlsRecord();
    }

    /** A TLS handshake completed, taking {@code ns} on the kernel's clock. */
    public void handshake(long ns) {
        listener.handshake(Math.max(0, ns));
    }

    /** TLS connections opened (one per HTTP request unless keep-alive). */
    public long connections() {
        return connections;
    }

    /** Userspace CPU declared to the kernel with the syscalls ({@code user_cpu_ns}); 0 in mode {@code zero}. */
    public long userCpuNs() {
        return userCpuNs;
    }

    /** The part of {@link #userCpuNs()} declared as {@code kind} ({@code OTHER}: the rest). */
    public long userCpuNs(UserCpuKind kind) {
        return switch (kind) {
            case TLS -> userCpuTlsNs;
            case PACK -> userCpuPackNs;
            case OTHER -> userCpuNs - userCpuTlsNs - userCpuPackNs;
        };
    }

    /** TLS record body lengths (ciphertext, after the 5-byte header), all connections. */
    public SizeHistogram.Snapshot recordSizes() {
        return recordSizes.snapshot();
    }

    /** Bytes returned by each recvfrom that returned data. */
    public SizeHistogram.Snapshot readSizes() {
        return readSizes.snapshot();
    }

    public long syscalls() {
        return syscalls;
    }

    /** recvfrom calls that returned data or end of stream (not the would-blocks). */
    public long reads() {
        return reads;
    }

    /** Bytes received from the socket: TLS ciphertext, every connection. */
    public long bytesReceived() {
        return bytesReceived;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** recvfrom/sendto calls that returned EAGAIN. */
    public long wouldBlocks() {
        return wouldBlocks;
    }

    /** nanosleep calls. */
    public long sleeps() {
        return sleeps;
    }

    /** Sum over nanosleep calls of (exit - entry): the time actually slept on the kernel's clock. */
    public long sleepNs() {
        return sleepNs;
    }

    public long tlsRecords() {
        return tlsRecords;
    }

    /** Entry time of the first syscall, or -1 before any. */
    public long firstEntryNs() {
        return firstEntryNs;
    }

    /** Exit time of the latest syscall: the client's idea of "now" on the kernel's clock; -1 before any. */
    public long lastExitNs() {
        return lastExitNs;
    }

    /** From the first syscall's entry to the last syscall's exit; 0 before any syscall. */
    public long elapsedNs() {
        long first = firstEntryNs;
        long last = lastExitNs;
        return first < 0 || last < 0 ? 0 : Math.max(0, last - first);
    }
}
