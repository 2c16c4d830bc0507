package io.testbed.tls.client.transport;

/**
 * Counts TLS records in a received byte stream by following the 5-byte record headers. Engines
 * whose API hides record boundaries can still report records this way, identically for all.
 */
public final class TlsRecordCounter {
    private final java.util.function.IntConsumer onRecord;
    private final byte[] header = new byte[5];
    private int headerFill;
    private int bodyLeft;
    private int bodyLength;

    public TlsRecordCounter() {
        this(length -> { });
    }

    /** @param onRecord told each completed record's body length */
    public TlsRecordCounter(java.util.function.IntConsumer onRecord) {
        this.onRecord = onRecord;
    }

    /** Feeds received bytes; returns how many records were completed by them. */
    public int feed(byte[] data, int off, int len) {
        int completed = 0;
        int i = off;
        int end = off + len;
        while (i < end) {
            if (bodyLeft > 0) {
                int take = Math.min(bodyLeft, end - i);
                bodyLeft -= take;
                i += take;
                if (bodyLeft == 0) {
                    completed++;
                    onRecord.accept(bodyLength);
                }
                continue;
            }
            header[headerFill++] = data[i++];
            if (headerFill == header.length) {
                headerFill = 0;
                bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                bodyLength = bodyLeft;
                if (bodyLeft == 0) {
                    completed++;
                    onRecord.accept(0);
                }
            }
        }
        return completed;
    }
}
