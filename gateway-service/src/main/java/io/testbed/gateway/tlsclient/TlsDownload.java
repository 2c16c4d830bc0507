package io.testbed.gateway.tlsclient;

import io.testbed.gateway.common.Status;
/**
 * tls-client's view of one download ({@code GET /api/downloads/{id}}). Counters are null while
 * tls-client has not reported them. Times are nanoseconds; {@code simulatedNs} is on the machine's
 * clock, {@code wallNs} is real time.
 */
public record TlsDownload(String id, String status, Long bytes, Pack pack, Long simulatedNs, Long wallNs,
                          Long handshakeNs, Long wouldBlocks, Long sleeps, Long sleepNs, Long reads,
                          Long tlsRecords, String error, FileIo fileIo) {

    public TlsDownload(String id, String status, Long bytes, Pack pack, Long simulatedNs, Long wallNs,
                       Long handshakeNs, Long wouldBlocks, Long sleeps, Long sleepNs, Long reads,
                       Long tlsRecords, String error) {
        this(id, status, bytes, pack, simulatedNs, wallNs, handshakeNs, wouldBlocks, sleeps, sleepNs, reads, tlsRecords,
                error, null);
    }

    public boolean running() {
        return status == null || Status.RUNNING.is(status);
    }

    /** The received pack: trailer SHA-1, object count and whether JGit's PackParser accepted it. */
    public record Pack(String sha1, Long objects, Boolean verified) {
    }

    /**
     * The client's file I/O (tls-client's {@code fileIo}, client {@code scratch} only; null for the
     * others): its file syscalls, bytes, simulated time inside them, prints, large allocations, and
     * the clone's phases (download, pack read-back, unpack, checkout), all nanoseconds simulated.
     */
    public record FileIo(Long fileSyscalls, Long fileBytesRead, Long fileBytesWritten, Long fsNs, Long consoleWrites,
                         Long consoleBytes, Long mmaps, Long mmapBytes, Long objectsWritten, Long filesCheckedOut,
                         Long downloadNs, Long packReadNs, Long unpackNs, Long checkoutNs, Boolean readBackMatches) {
    }
}
