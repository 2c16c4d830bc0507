package io.testbed.kernel.sim.net.remote;

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
 * libslirp's TCP ({@code remote.tcp=slirp}, the defaults) on its own: no machine, time passed in through
 * the event queue, the client's segments written by hand, every expected figure worked out from
 * libslirp's constants (500 ms slow ticks, RTO bounds 2..24 ticks, persist 5..60 ticks, 2 ms fast timer).
 */
class SlirpTcpTest {
    private static final long MS = 1_000_000L;
    private static final int MSS = 1460;

    private record Sent(long at, Segment segment) {
    }

    private final EventQueue events = new EventQueue();
    private final List<Sent> sent = new ArrayList<>();
    private final TestHost host = new TestHost();
    private final SlirpTcp tcp = new SlirpTcp(1, RemoteTcpSettings.of(Profiles.resolve("", Map.of())), events,
            (s, now) -> sent.add(new Sent(now, s)), host);

    private void runUntil(long t) {
        while (events.peekTime() <= t) {
            events.fireNext();
        }
        events.advanceTo(t);
    }

    private void ack(long ack, int wnd) {
        tcp.input(Segment.control(1, Segment.ACK, 0, ack, wnd));
    }

    private List<Segment> data() {
        return sent.stream().map(Sent::segment).filter(s -> s.length() > 0).toList();
    }

    private List<Sent> dataSent() {
        return sent.stream().filter(s -> s.segment().length() > 0).toList();
    }

    /** SYN at 0, SYN-ACK at once, the handshake's ACK after {@code rttMs}: cwnd two segments, RTT sample one tick. */
    private void establish(int wnd, long rttMs) {
        tcp.input(Segment.control(1, Segment.SYN, -1, 0, wnd));
        assertThat(host.connectRequests).isEqualTo(1);
        tcp.accept();
        assertThat(sent.get(0).segment().has(Segment.SYN)).isTrue();
        runUntil(rttMs * MS);
        ack(0, wnd);
        sent.clear();
    }

    @Test
    @DisplayName("slow start: cwnd starts at one segment, the handshake's ACK makes two, each ACK adds one")
    void slowStart_growsBySegmentPerAck() {
        tcp.input(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        tcp.accept();
        assertThat(tcp.cwnd()).isEqualTo(MSS);
        runUntil(100 * MS);
        ack(0, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(2 * MSS);
        sent.clear();
        tcp.send(new byte[8 * MSS]);
        assertThat(data()).hasSize(2);
        ack(MSS, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(3 * MSS);
        assertThat(data()).hasSize(4); // one left, two new
        ack(2 * MSS, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(4 * MSS);
        assertThat(data()).hasSize(6);
        assertThat(data()).extracting(Segment::seq).containsExactly(0L, 1460L, 2920L, 4380L, 5840L, 7300L);
    }

    @Test
    @DisplayName("send buffer: 8192 rounded up to 6 segments; the server is read again only below half full, in whole segments")
    void sendBuffer_halfFullRule() {
        establish(65_535, 100);
        assertThat(tcp.sendSpace()).isEqualTo(6 * MSS);
        tcp.send(new byte[6 * MSS]);
        assertThat(tcp.sendSpace()).isZero();
        ack(2 * MSS, 65_535);
        assertThat(tcp.buffered()).isEqualTo(4 * MSS);
        assertThat(tcp.sendSpace()).as("4 of 6 segments buffered: not under half full").isZero();
        ack(3 * MSS + 100, 65_535);
        assertThat(tcp.sendSpace()).as("2920 - 100 + ... free 3 segments and 100 bytes: read in whole segments").isEqualTo(3 * MSS);
    }

    @Test
    @DisplayName("three duplicate ACKs: fast retransmit of SND.UNA, ssthresh half the window, window inflated, then deflated")
    void fastRetransmit_afterThreeDupAcks_andRecovery() {
        establish(65_535, 100);
        tcp.send(new byte[6 * MSS]);
        for (int i = 1; i <= 4; i++) {
            ack((long) i * MSS, 65_535); // cwnd 2 -> 6 segments
        }
        tcp.send(new byte[4 * MSS]);
        int before = data().size();
        long cwnd = tcp.cwnd();
        assertThat(cwnd).isEqualTo(6 * MSS);
        ack(4 * MSS, 65_535);
        ack(4 * MSS, 65_535);
        assertThat(tcp.retransmits()).isZero();
        ack(4 * MSS, 65_535);
        assertThat(tcp.retransmits()).isEqualTo(1);
        Segment resent = data().get(before);
        assertThat(resent.seq()).isEqualTo(4L * MSS);
        assertThat(tcp.ssthresh()).isEqualTo(3 * MSS); // min(wnd, cwnd) / 2
        assertThat(tcp.cwnd()).isEqualTo(3 * MSS + 3 * MSS); // ssthresh + 3 segments
        ack(4 * MSS, 65_535); // a fourth: one more segment has left the network
        assertThat(tcp.cwnd()).isEqualTo(7 * MSS);
        ack(10 * MSS, 65_535); // the new ACK: deflate to ssthresh, then grow by one segment (not above ssthresh)
        assertThat(tcp.cwnd()).isEqualTo(4 * MSS);
    }

    @Test
    @DisplayName("congestion avoidance above ssthresh: mss*mss/cwnd per ACK")
    void congestionAvoidance_linearGrowth() {
        establish(65_535, 100);
        tcp.send(new byte[6 * MSS]);
        runUntil(1500 * MS); // RTO: ssthresh = max(2, min(wnd, cwnd)/2/mss) = 2 segments, cwnd 1
        assertThat(tcp.ssthresh()).isEqualTo(2 * MSS);
        assertThat(tcp.cwnd()).isEqualTo(MSS);
        ack(MSS, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(2 * MSS); // slow start up to ssthresh
        ack(2 * MSS, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(3 * MSS); // cwnd == ssthresh still grows by a segment
        ack(3 * MSS, 65_535);
        assertThat(tcp.cwnd()).isEqualTo(3 * MSS + MSS * MSS / (3 * MSS));
    }

    @Test
    @DisplayName("RTO: srtt one tick gives 3 ticks (1.5 s), doubled per backoff up to 24 ticks (12 s), at slow-timer ticks")
    void rto_backoffAndBounds() {
        establish(65_535, 100);
        tcp.send(new byte[MSS]);
        assertThat(tcp.rtoNs()).isEqualTo(1500 * MS);
        runUntil(40_000 * MS);
        assertThat(dataSent()).extracting(Sent::at)
                .containsExactly(100 * MS, 1500 * MS, 4500 * MS, 10_500 * MS, 22_500 * MS, 34_500 * MS);
        assertThat(dataSent()).allSatisfy(s -> assertThat(s.segment().seq()).isZero());
        assertThat(tcp.retransmits()).isEqualTo(5);
        assertThat(tcp.cwnd()).isEqualTo(MSS);
        ack(MSS, 65_535);
        assertThat(tcp.rtoNs()).as("a new sample after the backoff: back within the bounds").isBetween(1000 * MS, 12_000 * MS);
    }

    @Test
    @DisplayName("RTO before any RTT sample: 12 ticks (6 s); the handshake gives the first sample")
    void rto_initialBeforeSample() {
        tcp.input(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        tcp.accept();
        runUntil(100 * MS);
        // the SYN-ACK was timed: the handshake's ACK 0.1 s later is a one-tick sample
        ack(0, 65_535);
        assertThat(tcp.rtoNs()).isEqualTo(1500 * MS);
        SlirpTcp fresh = new SlirpTcp(2, RemoteTcpSettings.of(Profiles.resolve("", Map.of())), events, (s, now) -> { }, host);
        assertThat(fresh.rtoNs()).isEqualTo(6000 * MS);
    }

    @Test
    @DisplayName("persist: a zero window with nothing in flight is probed after 5 ticks with one byte at SND.UNA; an accepted probe moves SND.NXT")
    void persist_probeAtSndUna_andAcceptedByte() {
        establish(65_535, 100);
        tcp.send(new byte[3 * MSS]);
        ack(2 * MSS, 0); // window closed with one segment in flight: pulled back, persist armed
        runUntil(2499 * MS);
        int before = data().size();
        runUntil(2500 * MS); // 5 ticks after t=0.1 s: the 5th slow timeout is at 2.5 s
        assertThat(data()).hasSize(before + 1);
        Segment probe = data().get(before);
        assertThat(probe.seq()).isEqualTo(2L * MSS);
        assertThat(probe.length()).isEqualTo(1);
        ack(2L * MSS + 1, 65_535);
        Segment next = data().get(before + 1);
        assertThat(next.seq()).isEqualTo(2L * MSS + 1);
        assertThat(tcp.retransmits()).isZero();
    }

    @Test
    @DisplayName("persist is cancelled when the window opens: no probe while data is in flight (issue 12's bug)")
    void persist_cancelledWhenWindowOpens() {
        establish(65_535, 100);
        tcp.send(new byte[6 * MSS]);
        ack(2 * MSS, 0);
        runUntil(300 * MS);
        ack(2 * MSS, 2 * MSS); // the window opens: data goes, the retransmission timer replaces the persist timer
        int before = data().size();
        assertThat(before).isGreaterThan(2);
        runUntil(2_900 * MS);
        ack(4 * MSS, 2 * MSS);
        assertThat(data()).allSatisfy(s -> assertThat(s.length()).isNotEqualTo(1));
        assertThat(data().stream().mapToLong(s -> s.seq() + s.length()).max().orElseThrow())
                .as("never beyond the window").isLessThanOrEqualTo(6L * MSS);
    }

    @Test
    @DisplayName("delayed ACK: the fast path ACKs client data at once; otherwise the fast timer ACKs after 2 ms")
    void delayedAck_fastPathAndFastTimer() {
        establish(65_535, 100);
        tcp.input(new Segment(1, Segment.ACK, 0, 0, 65_535, new byte[100])); // header prediction: ACK now
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).segment().ack()).isEqualTo(100);
        assertThat(host.delivered.size()).isEqualTo(100);
        tcp.send(new byte[500]);
        sent.clear();
        runUntil(200 * MS);
        tcp.input(new Segment(1, Segment.ACK, 100, 500, 65_535, new byte[50])); // acknowledges data: slow path
        assertThat(sent).as("no ACK yet").isEmpty();
        runUntil(201 * MS);
        assertThat(sent).isEmpty();
        runUntil(202 * MS);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).segment().ack()).isEqualTo(150);
        assertThat(sent.get(0).at()).isEqualTo(202 * MS);
    }

    @Test
    @DisplayName("FIN both ways closes the connection; a FIN follows the data; RST from the client aborts")
    void finAndRst() {
        establish(65_535, 100);
        tcp.send(new byte[1000]);
        tcp.finish();
        Segment fin = sent.get(sent.size() - 1).segment();
        assertThat(fin.has(Segment.FIN)).isTrue();
        assertThat(fin.seq() + fin.length()).isEqualTo(1000);
        tcp.input(Segment.control(1, Segment.ACK | Segment.FIN, 0, 1001, 65_535));
        assertThat(host.clientFinished).isTrue();
        assertThat(sent.get(sent.size() - 1).segment().ack()).isEqualTo(1);
        assertThat(tcp.closed()).isTrue();
        assertThat(host.acked).isEqualTo(1000);

        TestHost other = new TestHost();
        SlirpTcp t2 = new SlirpTcp(2, RemoteTcpSettings.of(Profiles.resolve("", Map.of())), events, (s, now) -> { }, other);
        t2.input(Segment.control(2, Segment.SYN, -1, 0, 65_535));
        t2.accept();
        t2.input(Segment.control(2, Segment.RST, 0, 0, 0));
        assertThat(other.aborted).isTrue();
        assertThat(t2.closed()).isTrue();
    }

    @Test
    @DisplayName("refused before the handshake: RST, closed")
    void refuse_sendsRst() {
        tcp.input(Segment.control(1, Segment.SYN, -1, 0, 65_535));
        tcp.refuse();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).segment().has(Segment.RST)).isTrue();
        assertThat(tcp.closed()).isTrue();
    }
}
