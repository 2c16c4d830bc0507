package io.testbed.tls.client.download;

import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SizeHistogram;

import java.util.List;

/**
 * The figures of a finished download, grouped by what they measure. Times with "simulated" meaning
 * are on the kernel's clock (the host's nanoTime for the host kernel); {@code wallNs} is the real
 * time the client took and is reported only, never used. A download that failed before it started
 * is {@link #failedBeforeStart}: every group empty.
 *
 * @param status "succeeded" or "failed"
 * @param error  what went wrong, for a person; null on success
 * @param reason the failure reason (bounded set, {@link FailureReason#ALL}); null on success
 * @param verify "ca" or "none": whether the server was checked
 * @param timing how long it took
 * @param io     what was read from the socket
 * @param waits  what the would-block policy did
 * @param cpu    the userspace CPU declared to the kernel
 * @param tls    the first connection's TLS parameters
 * @param pack   the received pack; null unless it was received and verified
 * @param git    what the server said: ref, commit, progress lines
 * @param fileIo the client's file I/O and phases (client {@code scratch}); null for the others
 */
public record DownloadResult(String status, String error, String reason, String verify, Timing timing, Io io,
                             Waits waits, CpuUse cpu, Tls tls, Pack pack, Git git, FileIo fileIo) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** A download that failed before its first syscall (configuration, an unexpected exception): no figures. */
    public static DownloadResult failedBeforeStart(Throwable failure, String verify) {
        return new DownloadResult(FAILED, FailureReason.message(failure), FailureReason.of(failure), verify,
                Timing.NONE, Io.NONE, Waits.NONE, CpuUse.NONE, Tls.NONE, null, Git.NONE, null);
    }

    /**
     * @param simulatedNs              first syscall entry to last syscall exit
     * @param wallNs                   real time the client took (reported only)
     * @param handshakeNs              first connection: from connect's return to the handshake's last syscall
     * @param throughputBytesPerSecond pack bytes per simulated second
     */
    public record Timing(long simulatedNs, long wallNs, long handshakeNs, double throughputBytesPerSecond) {
        public static final Timing NONE = new Timing(0, 0, 0, 0);

        /** The simulated time {@code stats} span, and {@code packBytes} over it. */
        public static Timing of(IoStats stats, long packBytes, long wallNs, long handshakeNs) {
            long simulatedNs = stats.elapsedNs();
            double throughput = simulatedNs > 0 ? packBytes * 1e9 / simulatedNs : 0;
            return new Timing(simulatedNs, wallNs, handshakeNs, throughput);
        }
    }

    /**
     * @param bytes       pack bytes received (side-band channel 1)
     * @param tlsBytes    TLS bytes received from the socket, all connections
     * @param reads       recvfrom calls
     * @param tlsRecords  TLS records received, all connections
     * @param syscalls    syscalls made
     * @param connections TLS connections opened
     * @param recordSizes TLS record body sizes received
     * @param readSizes   bytes returned per recvfrom that returned data
     */
    public record Io(long bytes, long tlsBytes, long reads, long tlsRecords, long syscalls, long connections,
                     SizeHistogram.Snapshot recordSizes, SizeHistogram.Snapshot readSizes) {
        public static final Io NONE = new Io(0, 0, 0, 0, 0, 0, SizeHistogram.Snapshot.EMPTY,
                SizeHistogram.Snapshot.EMPTY);

        public static Io of(IoStats stats, long packBytes) {
            return new Io(packBytes, stats.bytesReceived(), stats.reads(), stats.tlsRecords(), stats.syscalls(),
                    stats.connections(), stats.recordSizes(), stats.readSizes());
        }

        /** Mean bytes per recvfrom that returned data. */
        public double bytesPerRead() {
            return readSizes == null ? 0 : readSizes.mean();
        }
    }

    /**
     * @param wouldBlocks recvfrom calls that returned EAGAIN
     * @param sleeps      sleeps the policy took
     * @param sleepNs     simulated time asleep
     */
    public record Waits(long wouldBlocks, long sleeps, long sleepNs) {
        public static final Waits NONE = new Waits(0, 0, 0);

        public static Waits of(IoStats stats) {
            return new Waits(stats.wouldBlocks(), stats.sleeps(), stats.sleepNs());
        }
    }

    /**
     * @param userCpu   the accounting mode's label ("zero", "modelled: ...", "measured (... not deterministic)")
     * @param userCpuNs userspace CPU declared to the kernel in total
     */
    public record CpuUse(String userCpu, long userCpuNs) {
        public static final CpuUse NONE = new CpuUse(null, 0);
    }

    /** The first connection's negotiated protocol and cipher suite; null fields if no handshake finished. */
    public record Tls(String tlsProtocol, String cipherSuite) {
        public static final Tls NONE = new Tls(null, null);
    }

    /**
     * @param ref            the ref fetched; null if the download did not get that far
     * @param commit         the commit it pointed at
     * @param serverProgress the server's progress lines (side-band channel 2)
     */
    public record Git(String ref, String commit, List<String> serverProgress) {
        public static final Git NONE = new Git(null, null, List.of());

        /** A fetch that ended before the ref was known, with the progress lines so far. */
        public static Git progressOnly(List<String> serverProgress) {
            return new Git(null, null, serverProgress);
        }
    }

    /**
     * What a client that writes to the machine's file system did there (the scratch client), from the
     * client's own count of its syscalls; the sectors are the machine's ({@code fs_sectors_*} counters).
     *
     * @param fileSyscalls     openat, read, write, close and mkdirat on files
     * @param fileOpens        openat calls on files
     * @param fileReads        read calls on files
     * @param fileWrites       write calls on files
     * @param mkdirs           mkdirat calls
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

    /** The received pack: trailer SHA-1, object count, and whether PackParser checked it all. */
    public record Pack(String sha1, int objects, boolean verified) {
    }

    /** This result with the client's file I/O figures. */
    public DownloadResult withFileIo(FileIo f) {
        return new DownloadResult(status, error, reason, verify, timing, io, waits, cpu, tls, pack, git, f);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** Pack bytes received (the figure most callers want). */
    public long bytes() {
        return io.bytes();
    }

    /** First syscall entry to last syscall exit, simulated. */
    public long simulatedNs() {
        return timing.simulatedNs();
    }
}
