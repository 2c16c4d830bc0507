package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.Segment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persist timer of {@code remote.tcp=simple} (the sender issue 12's bug lived in) on its own: no machine, time passed in through the event queue, the
 * client's segments written by hand (as smoltcp's tcp.rs tests do).
 */
class RemotePersistTest {
    private static final long MS = 1_000_000L;
    private final MachineSettings settings = Profiles.resolve("", Map.of("remote.rto_ms", "200"));
    private final EventQueue events = new EventQueue();
    private final List<Segment> sent = new ArrayList<>();
    private final RemoteTcp peer = new SimpleTcp(1, RemoteTcpSettings.of(settings), events, (s, now) -> sent.add(s),
            new TestHost());

    private void runUntil(long t) {
        while (events.peekTime() <= t) {
            events.fireNext();
        }
        events.advanceTo(t);
    }

    private void ack(long ack, int wnd) {
        peer.input(Segment.control(1, Segment.ACK, 0, ack, wnd));
    }

    private List<Segment> dataSent() {
        return sent.stream().filter(s -> s.length() > 0).toList();
    }

    private void establish(int wnd) {
        peer.input(Segment.control(1, Segment.SYN, -1, 0, wnd));
        peer.accept();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).has(Segment.SYN)).isTrue();
        sent.clear();
    }

    @Test
    @DisplayName("a persist timer armed on a zero window is cancelled when the window opens: no probe beyond a full window")
    void windowReopens_persistCancelled_noProbeWithDataInFlight() {
        establish(2920);
        peer.send(new byte[20_000]);
        assertThat(dataSent()).extracting(Segment::seq).containsExactly(0L, 1460L);
        ack(2920, 0); // all acknowledged, window closed: the persist timer is armed
        runUntil(50 * MS);
        ack(2920, 2920); // the window opens again: two more segments fill it
        assertThat(dataSent()).extracting(Segment::seq).containsExactly(0L, 1460L, 2920L, 4380L);
        runUntil(240 * MS); // past the old persist deadline (200 ms), before the RTO of the new segments (250 ms)
        assertThat(dataSent()).as("nothing beyond the advertised window [2920, 5840)").hasSize(4);
        ack(5840, 2920);
        assertThat(dataSent()).extracting(Segment::seq).endsWith(5840L, 7300L);
        assertThat(peer.retransmits()).isZero();
    }

    @Test
    @DisplayName("a zero window with nothing in flight is probed with one byte at SND.UNA; an accepted probe moves SND.NXT past it")
    void zeroWindow_probeAtSndUna_acceptedByteAdvancesSndNxt() {
        establish(1460);
        peer.send(new byte[10_000]);
        ack(1460, 0);
        assertThat(dataSent()).hasSize(1);
        runUntil(199 * MS);
        assertThat(dataSent()).as("no probe before the persist interval").hasSize(1);
        runUntil(200 * MS);
        Segment probe = dataSent().get(1);
        assertThat(probe.seq()).isEqualTo(1460L);
        assertThat(probe.length()).isEqualTo(1);
        ack(1461, 1460); // the receiver took the probe byte and opened its window
        Segment next = dataSent().get(2);
        assertThat(next.seq()).as("the next segment follows the accepted probe byte").isEqualTo(1461L);
        assertThat(next.length()).isEqualTo(1460);
        ack(2921, 1460);
        assertThat(dataSent().get(3).seq()).isEqualTo(2921L);
        assertThat(peer.retransmits()).isZero();
    }

    @Test
    @DisplayName("an unanswered probe is repeated at SND.UNA with a backed-off interval")
    void zeroWindow_probeRepeated_withBackoff() {
        establish(1460);
        peer.send(new byte[10_000]);
        ack(1460, 0);
        runUntil(200 * MS);
        ack(1460, 0); // the receiver trimmed the probe: still closed
        runUntil(599 * MS);
        assertThat(dataSent()).hasSize(2);
        runUntil(600 * MS); // 200 ms after the first probe, doubled
        assertThat(dataSent()).hasSize(3);
        assertThat(dataSent().get(2).seq()).isEqualTo(1460L);
        assertThat(dataSent().get(2).length()).isEqualTo(1);
    }
}
