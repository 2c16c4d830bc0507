package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.net.remote.Upstream;
import io.testbed.kernel.sim.net.remote.UpstreamListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory bulk server on its own: callbacks posted to an inbox, the answer within the credit. */
class MemoryUpstreamConnectorTest {
    private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    private final Recorder heard = new Recorder();

    static final class Recorder implements UpstreamListener {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        @Override
        public void connected() {
            events.add("connected");
        }

        @Override
        public void refused(String reason) {
            events.add("refused");
        }

        @Override
        public void data(byte[] bytes) {
            data.writeBytes(bytes);
            events.add("data " + bytes.length);
        }

        @Override
        public void eof() {
            events.add("eof");
        }

        @Override
        public void reset(String reason) {
            events.add("reset " + reason);
        }

        @Override
        public void writeDone() {
            events.add("writeDone");
        }

        @Override
        public void marked(long read, long written, boolean closed) {
            events.add("mark " + read + " " + written + (closed ? " closed" : ""));
        }

        @Override
        public void marksLost(String why) {
            events.add("marks lost");
        }
    }

    private void drain() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            r.run();
        }
    }

    private Upstream open(long readAhead) {
        MemoryUpstreamConnector c = new MemoryUpstreamConnector(Set.of("bulk.test:80"), inbox::add, readAhead);
        return c.open("BULK.test", 80, heard);
    }

    @Test
    void onlyConfiguredEndpointsAreServed() {
        MemoryUpstreamConnector c = new MemoryUpstreamConnector(Set.of("bulk.test:80"), inbox::add, 4096);
        assertThat(c.open("bulk.test", 81, heard)).isNull();
        assertThat(c.open("other.test", 80, heard)).isNull();
        assertThat(c.open(null, 80, heard)).isNull();
        assertThatThrownBy(() -> new MemoryUpstreamConnector(Set.of(), inbox::add, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersTheRequestWithinTheCredit_thenEof() {
        Upstream u = open(10_000);
        u.connect();
        assertThat(heard.events).isEmpty(); // nothing runs before the engine drains its inbox
        drain();
        u.write("25000".getBytes(StandardCharsets.US_ASCII));
        u.write("\n".getBytes(StandardCharsets.US_ASCII));
        drain();
        assertThat(heard.data.size()).isEqualTo(10_000);
        assertThat(heard.events).doesNotContain("eof");
        u.consumed(10_000);
        drain();
        assertThat(heard.data.size()).isEqualTo(20_000);
        u.consumed(10_000);
        drain();
        assertThat(heard.data.size()).isEqualTo(25_000);
        assertThat(heard.events).containsSubsequence("connected", "mark 0 0", "writeDone", "mark 5 0", "writeDone", "data 10000", "eof");
        assertThat(heard.events).as("a complete request is answered, not marked").doesNotContain("mark 6 0");
        assertThat(u.marks()).isTrue();
        byte[] got = heard.data.toByteArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isEqualTo(MemoryUpstreamConnector.expected(i));
        }
    }

    @Test
    void badRequestIsReset_andCloseStopsTheAnswer() {
        Upstream bad = open(4096);
        bad.write("lots\n".getBytes(StandardCharsets.US_ASCII));
        drain();
        assertThat(heard.events).anyMatch(e -> e.startsWith("reset"));
        assertThat(heard.data.size()).isZero();

        Recorder second = new Recorder();
        Upstream u = new MemoryUpstreamConnector(Set.of("bulk.test:80"), inbox::add, 1000).open("bulk.test", 80, second);
        u.write("5000\n".getBytes(StandardCharsets.US_ASCII));
        drain();
        u.close();
        u.consumed(1000);
        drain();
        assertThat(second.data.size()).isEqualTo(1000);
        assertThat(second.events).doesNotContain("eof");
    }
}
