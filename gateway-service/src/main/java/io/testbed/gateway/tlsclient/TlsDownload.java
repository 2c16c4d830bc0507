package io.testbed.gateway.tlsclient;

/**
 * tls-client's view of one download ({@code GET /api/downloads/{id}}). Counters are null while
 * tls-client has not reported them. Times are nanoseconds; {@code simulatedNs} is on the machine's
 * clock, {@code wallNs} is real time.
 */
public record TlsDownload(String id, String status, Long bytes, Pack pack, Long simulatedNs, Long wallNs,
                          Long handshakeNs, Long wouldBlocks, Long sleeps, Long sleepNs, Long reads,
                          Long tlsRecords, String error) {

    public boolean running() {
        return status == null || "running".equals(status);
    }

    /** The received pack: trailer SHA-1, object count and whether JGit's PackParser accepted it. */
    public record Pack(String sha1, Long objects, Boolean verified) {
    }
}
