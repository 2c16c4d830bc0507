package io.testbed.tls.client.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsRecordCounterTest {
    @Test
    void feed_recordsSplitAcrossReads_countedOnceComplete() {
        byte[] stream = {23, 3, 3, 0, 2, 9, 9, 23, 3, 3, 0, 1, 7};
        TlsRecordCounter c = new TlsRecordCounter();
        assertThat(c.feed(stream, 0, 3)).isZero();
        assertThat(c.feed(stream, 3, 4)).isEqualTo(1);
        assertThat(c.feed(stream, 7, 6)).isEqualTo(1);
    }
}
