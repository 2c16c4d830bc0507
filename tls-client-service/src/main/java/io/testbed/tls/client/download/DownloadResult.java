package io.testbed.tls.client.download;

import io.testbed.tls.client.transport.SizeHistogram;

import java.util.List;

/**
 * The figures of a finished download. Times with "simulated" meaning are on the kernel's clock
 * (the host's nanoTime for the host kernel); {@code wallNs} is the real time the client took and is
 * reported only, never used.
 *
 * @param status                   "succeeded" or "failed"
 * @param error                    what went wrong, for a person; null on success
 * @param reason                   the failure reason (bounded set, {@link FailureReason#ALL}); null on success
 * @param bytes                    pack bytes received (side-band channel 1)
 * @param tlsBytes                 TLS bytes received from the socket, all connections
 * @param simulatedNs              first syscall entry to last syscall exit
 * @param handshakeNs              first connection: from connect's return to the handshake's last syscall
 * @param tlsRecords               TLS records received, all connections
 * @param throughputBytesPerSecond bytes per simulated second
 * @param connections              TLS connections opened
 * @param recordSizes              TLS record body sizes received
 * @param readSizes                bytes returned per recvfrom that returned data
 * @param userCpu                  the accounting mode's label ("zero", "modelled: ...", "measured (... not deterministic)")
 * @param userCpuNs                userspace CPU declared to the kernel in total
 * @param verify                   "ca" or "none": whether the server was checked
 * @param fileIo                   the client's file I/O and phases (client {@code scratch}); null for the others
 */
public record DownloadResult(String status, String error, String reason, long bytes, long tlsBytes, long simulatedNs,
                             long wallNs, long handshakeNs, long wouldBlocks, long sleeps, long sleepNs, long reads,
                             long tlsRecords, long syscalls, double throughputBytesPerSecond, Pack pack,
                             String tlsProtocol, String cipherSuite, String ref, String commit,
                             List<String> serverProgress, long connections, SizeHistogram.Snapshot recordSizes,
                             SizeHistogram.Snapshot readSizes, String userCpu, long userCpuNs, String verify,
                             FileIo fileIo) {

    public DownloadResult(String status, String error, String reason, long bytes, long tlsBytes, long simulatedNs,
                          long wallNs, long handshakeNs, long wouldBlocks, long sleeps, long sleepNs, long reads,
                          long tlsRecords, long syscalls, double throughputBytesPerSecond, Pack pack,
                          String tlsProtocol, String cipherSuite, String ref, String commit,
                          List<String> serverProgress, long connections, SizeHistogram.Snapshot recordSizes,
                          SizeHistogram.Snapshot readSizes, String userCpu, long userCpuNs, String verify) {
        this(status, error, reason, bytes, tlsBytes, simulatedNs, wallNs, handshakeNs, wouldBlocks, sleeps, sleepNs,
                reads, tlsRecords, syscalls, throughputBytesPerSecond, pack, tlsProtocol, cipherSuite, ref, commit,
                serverProgress, connections, recordSizes, readSizes, userCpu, userCpuNs, verify, null);
    }

    /**
     * What a client that writes to the machine's file system did there (the scratch client), from the
     * client's own count of its syscalls; the sectors are the machine's ({@code fs_sectors_*} counters).
     *
     * @param fileSyscalls     openat, read, write, close and mkdirat on files
     * @param fileBytesRead    bytes returned by read on files
     * @param fileBytesWritten bytes accepted by write on files
     * @param fsNs             simulated time inside those syscalls (sum of exit - entry)
     * @param consoleWrites    prints (writes to fd 1)
     * @param consoleBytes     bytes printed
     * @param mmaps            mmap calls (the large allocations: TLS buffers, inflate output, pack buffer)
     * @param mmapBytes        bytes mapped by them
     * @param objectsWritten   loose objects written
     * @param filesCheckedOut  files written by the checkout
     * @param downloadNs       first syscall to tmp.pack closed (ref discovery, layout, pack download)
     * @param packReadNs       reading tmp.pack back
     * @param unpackNs         parse_all: inflate, resolve, loose objects
     * @param checkoutNs       refs, HEAD and the checkout
     * @param readBackMatches  the pack read back from the file is byte for byte what was received
     */
    public record FileIo(long fileSyscalls, long fileOpens, long fileReads, long fileWrites, long mkdirs,
                         long fileBytesRead, long fileBytesWritten, long fsNs, long consoleWrites, long consoleBytes,
                         long mmaps, long mmapBytes, long objectsWritten, long filesCheckedOut, long downloadNs,
                         long packReadNs, long unpackNs, long checkoutNs, boolean readBackMatches) {
    }

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** The received pack: trailer SHA-1, object count, and whether PackParser checked it all. */
    public record Pack(String sha1, int objects, boolean verified) {
    }

    /** This result with the client's file I/O figures. */
    public DownloadResult withFileIo(FileIo f) {
        return new DownloadResult(status, error, reason, bytes, tlsBytes, simulatedNs, wallNs, handshakeNs, wouldBlocks,
                sleeps, sleepNs, reads, tlsRecords, syscalls, throughputBytesPerSecond, pack, tlsProtocol, cipherSuite,
                ref, commit, serverProgress, connections, recordSizes, readSizes, userCpu, userCpuNs, verify, f);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** Mean bytes per recvfrom that returned data. */
    public double bytesPerRead() {
        return readSizes == null ? 0 : readSizes.mean();
    }
}
