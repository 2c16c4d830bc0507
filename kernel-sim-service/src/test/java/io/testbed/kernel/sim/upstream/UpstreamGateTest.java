package io.testbed.kernel.sim.upstream;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.engine.EventQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.remote.RemoteTcps;
import io.testbed.kernel.sim.net.remote.Upstream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The wall-clock gate alone: a fake upstream, a settable real clock, the remote TCP behind it. */
class UpstreamGateTest {
    private static final long MS = 1_000_000L;
    private final MachineSettings settings = Profiles.resolve("", Map.of("upstream.quiet_ms", "100",
            "upstream.first_byte_timeout_ms", "2000"));
    private final EventQueue events = new EventQueue();
    private final List<Segment> sent = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private long wall = 1_000 * MS;

    private UpstreamGate gate(boolean allowListed) {
        return new UpstreamGate(settings, () -> wall, true, allowListed ? listener -> new Recording() : null,
                host -> RemoteTcps.create(1, settings, events, (s, now) -> sent.add(s), host, NetEvents.NONE));
    }

    private List<Segment> data() {
        return sent.stream().filter(s -> s.length() > 0).toList();
    }

    @Test
    @DisplayName("not allow-listed: the SYN is answered with RST and nothing holds")
    void notAllowListed_rst() {
        UpstreamGate g = gate(false);
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).has(Segment.RST)).isTrue();
        assertThat(g.holdUntil(wall)).isEqualTo(-1);
    }

    @Test
    @DisplayName("holds simulated time for the connect, the write and the first byte; releases a short tail once the upstream is quiet")
    void holds_andQuietRelease() {
        UpstreamGate g = gate(true);
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        assertThat(calls).containsExactly("connect");
        assertThat(g.holdUntil(wall)).isEqualTo(wall + 2000 * MS);
        g.connected();
        assertThat(sent.get(0).has(Segment.SYN)).isTrue();
        g.receive(Segment.control(1, Segment.ACK, 0, 0, 65_535));
        g.receive(new Segment(1, Segment.ACK, 0, 0, 65_535, new byte[50]));
        assertThat(calls).containsExactly("connect", "write 50");
        assertThat(g.holdUntil(wall)).as("write in flight").isEqualTo(wall + 2000 * MS);
        wall += 5 * MS;
        g.writeDone();
        assertThat(g.holdUntil(wall)).as("answer owed").isEqualTo(wall + 2000 * MS);
        wall += 10 * MS;
        g.data(new byte[3000]);
        assertThat(data()).as("whole segments only (slirp's cwnd is two after the handshake)").extracting(Segment::length)
                .containsExactly(1460, 1460);
        assertThat(g.lateArrivals()).isZero();
        assertThat(g.holdUntil(wall)).as("80 bytes: wait for the rest or for quiet").isEqualTo(wall + 100 * MS);
        assertThat(g.releaseIfQuiet(wall + 99 * MS)).isFalse();
        wall += 100 * MS;
        assertThat(g.releaseIfQuiet(wall)).isTrue();
        assertThat(data()).as("released, but the congestion window is full").hasSize(2);
        g.receive(Segment.control(1, Segment.ACK, 50, 1460, 65_535)); // slirp's cwnd opens: the rest goes
        assertThat(data()).extracting(Segment::length).containsExactly(1460, 1460, 80);
        assertThat(calls).contains("consumed 1460");
    }

    @Test
    @DisplayName("bytes that come after the quiet window are counted as late arrivals")
    void lateArrival_counted() {
        UpstreamGate g = gate(true);
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        g.connected();
        g.data(new byte[10]);
        wall += 500 * MS;
        g.data(new byte[10]);
        assertThat(g.lateArrivals()).isEqualTo(1);
    }

    private final class Recording implements Upstream {
        @Override public void connect() { calls.add("connect"); }
        @Override public void write(byte[] data) { calls.add("write " + data.length); }
        @Override public void shutdownOutput() { calls.add("shutdownOutput"); }
        @Override public void consumed(int bytes) { calls.add("consumed " + bytes); }
        @Override public void close() { calls.add("close"); }
    }
}
