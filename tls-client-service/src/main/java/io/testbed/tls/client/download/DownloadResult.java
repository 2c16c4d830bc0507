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
 */
public record DownloadResult(String status, String error, String reason, long bytes, long tlsBytes, long simulatedNs,
                             long wallNs, long handshakeNs, long wouldBlocks, long sleeps, long sleepNs, long reads,
                             long tlsRecords, long syscalls, double throughputBytesPerSecond, Pack pack,
                             String tlsProtocol, String cipherSuite, String ref, String commit,
                             List<String> serverProgress, long connections, SizeHistogram.Snapshot recordSizes,
                             SizeHistogram.Snapshot readSizes, String userCpu, long userCpuNs, String verify) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** The received pack: trailer SHA-1, object count, and whether PackParser checked it all. */
    public record Pack(String sha1, int objects, boolean verified) {
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    /** Mean bytes per recvfrom that returned data. */
    public double bytesPerRead() {
        return readSizes == null ? 0 : readSizes.mean();
    }
}
