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

/** {@code remote.tcp=smoltcp}: the machine's smoltcp model as the sender, driven by arrivals and its own timers. */
class SmoltcpRemoteTest {
    private static final long MS = 1_000_000L;
    private final MachineSettings settings = Profiles.resolve("", Map.of("remote.tcp", "smoltcp", "remote.snd_buffer", "8192"));
    private final EventQueue events = new EventQueue();
    private final List<Segment> sent = new ArrayList<>();
    private final TestHost host = new TestHost();
    private final SmoltcpRemote tcp = new SmoltcpRemote(1, settings, RemoteTcpSettings.of(settings), events,
            (s, now) -> sent.add(s), host);

    private void runUntil(long t) {
        while (events.peekTime() <= t) {
            events.fireNext();
        }
        events.advanceTo(t);
    }

    private List<Segment> data() {
        return sent.stream().filter(s -> s.length() > 0).toList();
    }

    private void establish(int wnd) {
        tcp.input(Segment.control(1, Segment.SYN, -1, 0, wnd));
        assertThat(host.connectRequests).isEqualTo(1);
        tcp.accept();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).has(Segment.SYN) && sent.get(0).has(Segment.ACK)).isTrue();
        sent.clear();
    }

    @Test
    @DisplayName("sends its tx buffer within the client's window, no congestion window, and refills as ACKs free it")
    void sendsWithinWindow_andReportsAcked() {
        establish(4 * 1460);
        assertThat(tcp.sendSpace()).isEqualTo(8192);
        tcp.send(new byte[8192]);
        assertThat(data()).extracting(Segment::seq).containsExactly(0L, 1460L, 2920L, 4380L);
        tcp.input(Segment.control(1, Segment.ACK, 0, 2920, 4 * 1460));
        assertThat(host.acked).isEqualTo(2920);
        assertThat(tcp.sendSpace()).isEqualTo(2920);
        // Nagle (smoltcp's default, as Akuma's): the short tail waits until everything in flight is acknowledged
        assertThat(data()).extracting(Segment::seq).endsWith(4380L, 5840L);
        tcp.input(Segment.control(1, Segment.ACK, 0, 7300, 4 * 1460));
        assertThat(data()).extracting(Segment::seq).endsWith(5840L, 7300L);
        assertThat(data().get(data().size() - 1).length()).isEqualTo(8192 - 7300);
    }

    @Test
    @DisplayName("its retransmission timer is an event: unacknowledged data goes again after smoltcp's first RTO (at least 300 ms + 4 x 100 ms)")
    void rtoIsAnEvent() {
        establish(65_535);
        tcp.send(new byte[1000]);
        assertThat(data()).hasSize(1);
        runUntil(699 * MS); // smoltcp's first RTO is at least 300 ms + 4 x 100 ms (here it fires at 827 ms)
        assertThat(data()).hasSize(1);
        runUntil(1000 * MS);
        assertThat(data()).hasSize(2);
        assertThat(data().get(1).seq()).isZero();
        assertThat(tcp.retransmits()).isEqualTo(1);
    }

    @Test
    @DisplayName("client data is delivered at once and ACKed after smoltcp's delayed-ACK timer; FINs both ways close it")
    void receive_delayedAck_andFin() {
        establish(65_535);
        tcp.input(new Segment(1, Segment.ACK, 0, 0, 65_535, new byte[300]));
        assertThat(host.delivered.size()).isEqualTo(300);
        assertThat(sent).isEmpty();
        runUntil(10 * MS);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).ack()).isEqualTo(300);
        tcp.finish();
        Segment fin = sent.get(sent.size() - 1);
        assertThat(fin.has(Segment.FIN)).isTrue();
        tcp.input(Segment.control(1, Segment.ACK | Segment.FIN, 300, 1, 65_535));
        assertThat(host.clientFinished).isTrue();
        assertThat(tcp.closed()).isTrue();
    }
}
