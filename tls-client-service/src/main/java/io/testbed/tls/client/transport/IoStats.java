package io.testbed.tls.client.transport;

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
    private volatile long firstEntryNs = -1;
    private volatile long lastExitNs = -1;

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
    }

    void read(int bytes) {
        reads++;
        bytesReceived += bytes;
    }

    void sent(int bytes) {
        bytesSent += bytes;
    }

    void wouldBlock() {
        wouldBlocks++;
    }

    /** Counts TLS records received (the TLS engine sees the record boundaries). */
    public void tlsRecords(int records) {
        tlsRecords += records;
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
