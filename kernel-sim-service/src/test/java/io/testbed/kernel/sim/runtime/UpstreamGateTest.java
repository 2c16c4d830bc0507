package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.time.EventQueue;
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
        return new UpstreamGate(settings, () -> wall, true, allowListed ? listener -> new Recording(false) : null,
                host -> RemoteTcps.create(1, settings, events, (s, now) -> sent.add(s), host, NetEvents.NONE));
    }

    /** A gate whose upstream reports marks, with the machine's {@code upstream.sync}. */
    private UpstreamGate marked(String sync) {
        MachineSettings s = Profiles.resolve("", Map.of("upstream.quiet_ms", "100", "upstream.first_byte_timeout_ms", "2000",
                "upstream.mark_timeout_ms", "30000", "upstream.sync", sync));
        return new UpstreamGate(s, () -> wall, true, listener -> new Recording(true),
                host -> RemoteTcps.create(1, s, events, (seg, now) -> sent.add(seg), host, NetEvents.NONE));
    }

    /** Handshake, then the client's 50-byte request has reached the upstream. */
    private void connectAndRequest(UpstreamGate g) {
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        g.connected();
        g.marked(0, 0, false); // accepted: waits for its request
        g.receive(Segment.control(1, Segment.ACK, 0, 0, 65_535));
        g.receive(new Segment(1, Segment.ACK, 0, 0, 65_535, new byte[50]));
        g.writeDone();
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
        assertThat(data()).as("slirp refills its 8760-byte buffer in one read: the gate waits for all of it").isEmpty();
        assertThat(g.lateArrivals()).isZero();
        assertThat(g.holdUntil(wall)).as("3000 of 8760 read ahead: wait for the rest or for quiet").isEqualTo(wall + 100 * MS);
        assertThat(g.releaseIfQuiet(wall + 99 * MS)).isFalse();
        wall += 100 * MS;
        assertThat(g.releaseIfQuiet(wall)).isTrue();
        assertThat(data()).as("released: slirp's cwnd (two segments after the handshake) limits it")
                .extracting(Segment::length).containsExactly(1460, 1460);
        g.receive(Segment.control(1, Segment.ACK, 50, 1460, 65_535)); // the cwnd opens: the short rest goes
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

    @Test
    @DisplayName("marks: a mark that comes before the bytes it announces holds until they are all here, then the short tail goes at once")
    void marks_markBeforeBytes_releasesWhenTheLastAnnouncedByteArrives() {
        UpstreamGate g = marked("marks");
        assertThat(g.usesMarks()).isTrue();
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        g.connected();
        assertThat(g.holdUntil(wall)).as("connected, but the server has not said it waits").isEqualTo(wall + 30_000 * MS);
        g.marked(0, 0, false);
        assertThat(g.holdUntil(wall)).as("accepted, waiting for the request: nothing owed").isEqualTo(-1);
        g.receive(Segment.control(1, Segment.ACK, 0, 0, 65_535));
        g.receive(new Segment(1, Segment.ACK, 0, 0, 65_535, new byte[50]));
        g.writeDone();
        assertThat(g.holdUntil(wall)).as("the old mark (read 0) does not cover the 50 bytes just written").isPositive();
        g.marked(50, 3000, false);
        assertThat(g.holdUntil(wall)).as("announced 3000, none here yet").isPositive();
        g.data(new byte[2000]);
        assertThat(data()).as("2000 of 3000: the short tail waits").isEmpty();
        assertThat(g.holdUntil(wall)).isPositive();
        g.data(new byte[1000]);
        assertThat(g.holdUntil(wall)).as("all 3000 here, the server waits for input: settled").isEqualTo(-1);
        assertThat(data()).extracting(Segment::length).containsExactly(1460, 1460);
        g.receive(Segment.control(1, Segment.ACK, 50, 1460, 65_535));
        assertThat(data()).extracting(Segment::length).containsExactly(1460, 1460, 80);
        assertThat(g.quietDecisions()).as("no wall-clock window decided anything").isZero();
        assertThat(g.lateArrivals()).isZero();
    }

    @Test
    @DisplayName("marks: bytes before their mark hold simulated time however long the server pauses, and no quiet window releases them")
    void marks_bytesBeforeMark_holdThroughALongPause() {
        UpstreamGate g = marked("marks");
        connectAndRequest(g);
        g.data(new byte[3000]);
        wall += 5_000 * MS; // fifty quiet windows
        assertThat(g.releaseIfQuiet(wall)).isFalse();
        assertThat(g.holdUntil(wall)).as("still owed: the server has not said it is done").isPositive();
        assertThat(data()).isEmpty();
        g.data(new byte[500]); // the server's delayed rest
        g.marked(50, 3500, false);
        assertThat(g.holdUntil(wall)).isEqualTo(-1);
        assertThat(data()).extracting(Segment::length).containsExactly(1460, 1460);
        assertThat(g.lateArrivals()).as("nothing came after simulated time stopped waiting").isZero();
        assertThat(g.quietDecisions()).isZero();
    }

    @Test
    @DisplayName("marks: a mark is final only for what the server read; the client's FIN makes the server's answer to it owed")
    void marks_staleMarkAndFin_doNotSettle() {
        UpstreamGate g = marked("marks");
        connectAndRequest(g);
        g.marked(20, 0, false); // the server waited after the first 20 bytes, before the rest came
        assertThat(g.settled()).isFalse();
        g.marked(50, 0, false);
        assertThat(g.settled()).as("it read all 50 and waits for more, having written nothing").isTrue();
        g.clientFinished();
        assertThat(g.settled()).as("it will read the end of its input and answer with its FIN").isFalse();
        g.marked(50, 24, true); // close_notify, then closed
        assertThat(g.settled()).isFalse();
        g.data(new byte[24]);
        assertThat(g.settled()).as("closed, but the FIN goes with the end of stream, which is not here yet").isFalse();
        assertThat(g.holdUntil(wall)).isPositive();
        g.eof();
        assertThat(g.settled()).isTrue();
        assertThat(g.holdUntil(wall)).isEqualTo(-1);
        assertThat(calls).contains("shutdownOutput");
    }

    @Test
    @DisplayName("marks: bytes the server writes without being asked are late; a mark that never comes is a counted wall-clock decision")
    void marks_unsolicitedBytesLate_timeoutCounted() {
        UpstreamGate g = marked("marks");
        connectAndRequest(g);
        g.marked(50, 100, false);
        g.data(new byte[100]);
        assertThat(g.settled()).isTrue();
        g.data(new byte[10]); // e.g. an idle timeout's close_notify, at whatever real time
        assertThat(g.lateArrivals()).isEqualTo(1);
        assertThat(g.settled()).as("more than the mark announced: wait for the next one").isFalse();
        assertThat(g.holdUntil(wall)).isEqualTo(wall + 30_000 * MS);
        wall += 30_000 * MS;
        assertThat(g.holdUntil(wall)).as("the safety net").isEqualTo(-1);
        assertThat(g.quietDecisions()).isEqualTo(1);
        assertThat(g.holdUntil(wall)).isEqualTo(-1);
        assertThat(g.quietDecisions()).as("one decision per stretch").isEqualTo(1);
    }

    @Test
    @DisplayName("upstream.sync=quiet ignores an upstream's marks; a lost mark feed falls back to quiet windows")
    void quietSync_ignoresMarks_andLostFeedFallsBack() {
        UpstreamGate quiet = marked("quiet");
        assertThat(quiet.usesMarks()).isFalse();
        connectAndRequest(quiet);
        quiet.marked(50, 3000, false);
        quiet.data(new byte[3000]);
        assertThat(data()).as("marks ignored: the tail waits for quiet").isEmpty();
        wall += 100 * MS;
        assertThat(quiet.releaseIfQuiet(wall)).isTrue();
        assertThat(quiet.quietDecisions()).isEqualTo(1);

        sent.clear();
        UpstreamGate lost = marked("marks");
        connectAndRequest(lost);
        lost.marksLost("mark feed lost: closed by the server");
        assertThat(lost.usesMarks()).isFalse();
        lost.data(new byte[3000]);
        wall += 100 * MS;
        assertThat(lost.releaseIfQuiet(wall)).isTrue();
        assertThat(lost.quietDecisions()).isEqualTo(1);
    }

    @Test
    @DisplayName("quiet windows: each release by a window is counted as a quiet decision")
    void quiet_releaseCounted() {
        UpstreamGate g = gate(true);
        g.receive(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        g.connected();
        assertThat(g.usesMarks()).isFalse();
        assertThat(g.holdUntil(wall)).as("nothing owed, but only quiet can tell").isEqualTo(wall + 100 * MS);
        wall += 100 * MS;
        assertThat(g.holdUntil(wall)).isEqualTo(-1);
        assertThat(g.quietDecisions()).isEqualTo(1);
    }

    private final class Recording implements Upstream {
        private final boolean marks;

        Recording(boolean marks) {
            this.marks = marks;
        }

        @Override public boolean marks() { return marks; }
        @Override public void connect() { calls.add("connect"); }
        @Override public void write(byte[] data) { calls.add("write " + data.length); }
        @Override public void shutdownOutput() { calls.add("shutdownOutput"); }
        @Override public void consumed(int bytes) { calls.add("consumed " + bytes); }
        @Override public void close() { calls.add("close"); }
    }
}
