package io.testbed.kernel.sim.net.socket;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine's TCP on its own, the way smoltcp tests tcp.rs: time passed in, segments fed by hand,
 * what it sends captured. Defaults are the akuma-2026-01-31 profile (4 KiB buffers, 10 ms delayed ACK,
 * window clamp to one 1474-byte burst, one segment per egress pass, smoltcp's RTT estimator).
 */
class TcpSocketTest {
    private static final long MS = 1_000_000L;
    private static final int MSS = 1460;

    /** A link that keeps what is sent. */
    static final class Capture implements Link {
        final List<Segment> sent = new ArrayList<>();

        @Override
        public void send(Segment segment, long now) {
            sent.add(segment);
        }

        Segment last() {
            return sent.get(sent.size() - 1);
        }

        List<Segment> take() {
            List<Segment> out = new ArrayList<>(sent);
            sent.clear();
            return out;
        }
    }

    private final Capture wire = new Capture();

    private static MachineSettings settings(String... kv) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return Profiles.resolve(null, o);
    }

    /** A socket through its handshake at t=0 with the peer advertising {@code peerWnd}; the wire cleared. */
    private TcpSocket established(MachineSettings s, int peerWnd) {
        TcpSocket sock = new TcpSocket(1, 8, false, s);
        sock.startConnect("bulk.test", 80, 0);
        assertThat(sock.output(0, wire)).isEqualTo(1);
        sock.input(Segment.control(1, Segment.SYN | Segment.ACK, -1, 0, peerWnd), 0, wire);
        assertThat(sock.state).isEqualTo(TcpState.ESTABLISHED);
        sock.output(0, wire);
        wire.take();
        return sock;
    }

    private static Segment data(long seq, int len, long ack) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seq + i);
        }
        return new Segment(1, Segment.ACK, seq, ack, 65535, b);
    }

    private static Segment ack(long ack, int wnd) {
        return Segment.control(1, Segment.ACK, 0, ack, wnd);
    }

    @Test
    @DisplayName("handshake: the SYN's window is clamped with its option header, the SYN-ACK is ACKed at once with a 1474-byte window")
    void handshake_clampsWindows() {
        TcpSocket sock = new TcpSocket(1, 8, false, settings());
        sock.startConnect("bulk.test", 80, 0);
        sock.output(0, wire);
        Segment syn = wire.take().get(0);
        assertThat(syn.has(Segment.SYN)).isTrue();
        assertThat(syn.wnd()).isEqualTo(1514 - 20 - 32);
        assertThat(sock.state).isEqualTo(TcpState.SYN_SENT);
        sock.input(Segment.control(1, Segment.SYN | Segment.ACK, -1, 0, 65535), 1 * MS, wire);
        assertThat(wire.sent).as("no reply during ingress").isEmpty();
        assertThat(sock.output(1 * MS, wire)).isEqualTo(1);
        Segment ack = wire.take().get(0);
        assertThat(ack.ack()).isZero();
        assertThat(ack.wnd()).isEqualTo(1474);
        assertThat(sock.rtoNs()).as("one 1 ms sample: rtt (300*7+1+7)/8=263, dev (300+262+3)/4=141")
                .isEqualTo((263 + 4 * 141) * MS);
    }

    @Test
    @DisplayName("window clamp: max_burst_size x (mtu - 40) whatever the buffer; 0 turns it off")
    void windowClamp() {
        for (String[] c : new String[][]{{"1", "1474"}, {"2", "2948"}, {"0", "65536"}}) {
            TcpSocket sock = established(settings("socket.rx_buffer", "65536", "nic.max_burst_size", c[0], "tcp.ack_delay_ms", "0"), 65535);
            sock.input(ack(0, 65535), 1 * MS, wire);
            sock.input(data(0, 100, 0), 1 * MS, wire);
            sock.output(1 * MS, wire);
            long expected = Math.min(Long.parseLong(c[1]), 65536 - 100);
            assertThat(wire.last().wnd()).as("max_burst_size %s", c[0]).isEqualTo((int) expected);
            wire.take();
        }
    }

    @Test
    @DisplayName("delayed ACK: one segment is ACKed 10 ms later; more than one MSS unacknowledged is ACKed at once")
    void delayedAck() {
        TcpSocket sock = established(settings(), 65535);
        sock.input(data(0, MSS, 0), 5 * MS, wire);
        assertThat(sock.output(5 * MS, wire)).isZero();
        assertThat(sock.pollAt(5 * MS)).isEqualTo(15 * MS);
        assertThat(sock.output(14 * MS, wire)).isZero();
        assertThat(sock.output(15 * MS, wire)).isEqualTo(1);
        assertThat(wire.take().get(0).ack()).isEqualTo(MSS);

        sock.rx.take(4096);
        sock.input(data(MSS, MSS, 0), 20 * MS, wire);
        sock.input(data(2 * MSS, 10, 0), 20 * MS, wire);
        assertThat(sock.pollAt(20 * MS)).isEqualTo(20 * MS);
        assertThat(sock.output(20 * MS, wire)).isEqualTo(1);
        assertThat(wire.take().get(0).ack()).isEqualTo(2 * MSS + 10);
    }

    @Test
    @DisplayName("out of order: kept by the assembler, ACKed at once (duplicate ACK), delivered in order when the gap fills")
    void outOfOrder_assembled() {
        TcpSocket sock = established(settings("socket.rx_buffer", "8192", "nic.max_burst_size", "0"), 65535);
        sock.input(data(MSS, MSS, 0), 1 * MS, wire);
        assertThat(wire.sent).hasSize(1);
        assertThat(wire.take().get(0).ack()).as("duplicate ACK for the hole").isZero();
        assertThat(sock.rx.size()).isZero();
        assertThat(sock.assemblerState()).isEqualTo("[(1460,1460)]");
        sock.input(data(3 * MSS, MSS, 0), 1 * MS, wire);
        assertThat(wire.take().get(0).ack()).isZero();
        sock.input(data(0, MSS, 0), 2 * MS, wire);
        Segment filled = wire.take().get(0);
        assertThat(filled.ack()).as("the gap filled: ACK at once up to the next hole").isEqualTo(2 * MSS);
        assertThat(filled.wnd()).isEqualTo(8192 - 2 * MSS);
        assertThat(sock.rx.size()).isEqualTo(2 * MSS);
        byte[] got = sock.rx.take(2 * MSS);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("byte %d", i).isEqualTo((byte) i);
        }
        sock.input(data(2 * MSS, MSS, 0), 3 * MS, wire);
        assertThat(wire.take().get(0).ack()).isEqualTo(4 * MSS);
        assertThat(sock.assemblerState()).isEqualTo("[]");
    }

    @Test
    @DisplayName("the assembler's limit: a fifth hole is dropped without an ACK; with no assembler every out-of-order segment is dropped")
    void assemblerLimit() {
        TcpSocket sock = established(settings("socket.rx_buffer", "65536", "nic.max_burst_size", "0"), 65535);
        for (int k = 1; k <= 4; k++) {
            sock.input(data(2L * k * 100, 100, 0), 1 * MS, wire);
        }
        assertThat(wire.take()).hasSize(4);
        sock.input(data(1000, 100, 0), 1 * MS, wire);
        assertThat(wire.take()).isEmpty();
        assertThat(sock.outOfOrderDropped()).isEqualTo(1);

        TcpSocket none = established(settings("tcp.assembler_max_segments", "0"), 65535);
        none.input(data(100, 100, 0), 1 * MS, wire);
        assertThat(wire.take()).hasSize(1);
        none.input(data(0, 100, 0), 1 * MS, wire);
        assertThat(none.rx.size()).as("only the in-order segment").isEqualTo(100);
    }

    @Test
    @DisplayName("a duplicate segment gets a challenge ACK, at most one a second")
    void duplicate_challengeAckRateLimited() {
        TcpSocket sock = established(settings("tcp.ack_delay_ms", "0"), 65535);
        sock.input(data(0, MSS, 0), 1 * MS, wire);
        sock.output(1 * MS, wire);
        wire.take();
        sock.input(data(0, MSS, 0), 2 * MS, wire);
        assertThat(wire.take()).hasSize(1);
        sock.input(data(0, MSS, 0), 500 * MS, wire);
        assertThat(wire.take()).as("rate limited").isEmpty();
        sock.input(data(0, MSS, 0), 1002 * MS, wire);
        assertThat(wire.take()).hasSize(1);
        assertThat(sock.challengeAcks()).isEqualTo(2);
        assertThat(sock.rx.size()).isEqualTo(MSS);
    }

    @Test
    @DisplayName("window update only once the window has at least doubled")
    void windowUpdate_whenDoubled() {
        TcpSocket sock = established(settings("nic.max_burst_size", "0", "tcp.ack_delay_ms", "0"), 65535);
        sock.input(data(0, MSS, 0), 1 * MS, wire);
        sock.input(data(MSS, MSS, 0), 1 * MS, wire);
        sock.output(1 * MS, wire);
        assertThat(wire.take().get(0).wnd()).isEqualTo(4096 - 2 * MSS);
        sock.rx.take(100);
        assertThat(sock.output(2 * MS, wire)).as("1276 -> 1276+100: not doubled").isZero();
        sock.rx.take(1200);
        assertThat(sock.pollAt(3 * MS)).isEqualTo(3 * MS);
        assertThat(sock.output(3 * MS, wire)).isEqualTo(1);
        assertThat(wire.take().get(0).wnd()).isEqualTo(4096 - 2 * MSS + 1300);
        assertThat(sock.windowUpdates()).isEqualTo(1);
    }

    @Test
    @DisplayName("zero window: a probe is answered with a challenge ACK and not taken; reading reopens it with a window update")
    void zeroWindow_probeAndReopen() {
        TcpSocket sock = established(settings("nic.max_burst_size", "0", "tcp.ack_delay_ms", "0"), 65535);
        sock.input(data(0, MSS, 0), 1 * MS, wire);
        sock.input(data(MSS, MSS, 0), 1 * MS, wire);
        sock.input(data(2 * MSS, 4096 - 2 * MSS, 0), 1 * MS, wire);
        sock.output(1 * MS, wire);
        assertThat(wire.take().get(0).wnd()).isZero();
        sock.input(data(4096, 1, 0), 5 * MS, wire);
        Segment answer = wire.take().get(0);
        assertThat(answer.ack()).isEqualTo(4096);
        assertThat(answer.wnd()).isZero();
        assertThat(sock.rx.size()).isEqualTo(4096);
        assertThat(sock.output(6 * MS, wire)).as("nothing to say while the window stays shut").isZero();
        sock.rx.take(4096);
        assertThat(sock.output(7 * MS, wire)).isEqualTo(1);
        assertThat(wire.take().get(0).wnd()).isEqualTo(4096);
    }

    @Test
    @DisplayName("one segment per egress pass; 0 sends all the window allows; Nagle holds a short segment while data is in flight")
    void egressLimit_andNagle() {
        MachineSettings one = settings("socket.tx_buffer", "16384");
        TcpSocket sock = established(one, 65535);
        byte[] req = new byte[3 * MSS + 100];
        sock.tx.append(req, 0, req.length);
        assertThat(sock.output(1 * MS, wire)).isEqualTo(1);
        assertThat(sock.output(1 * MS, wire)).isEqualTo(1);
        assertThat(sock.output(1 * MS, wire)).isEqualTo(1);
        assertThat(sock.output(1 * MS, wire)).as("Nagle: 100 bytes wait for the ACK").isZero();
        assertThat(sock.pollAt(1 * MS)).as("nothing to send until the RTO").isEqualTo(1 * MS + sock.rtoNs());
        sock.input(ack(3 * MSS, 65535), 2 * MS, wire);
        assertThat(sock.output(2 * MS, wire)).isEqualTo(1);
        assertThat(wire.last().length()).isEqualTo(100);

        TcpSocket all = established(settings("socket.tx_buffer", "16384", "net.segments_per_egress", "0", "tcp.nagle", "disabled"), 65535);
        all.tx.append(req, 0, req.length);
        assertThat(all.output(1 * MS, wire)).isEqualTo(4);
        TcpSocket windowed = established(settings("socket.tx_buffer", "16384", "net.segments_per_egress", "0"), 2 * MSS);
        windowed.tx.append(req, 0, req.length);
        assertThat(windowed.output(1 * MS, wire)).as("the peer's window").isEqualTo(2);
    }

    @Test
    @DisplayName("RTO: smoltcp's initial 700 ms, go back to SND.UNA, no doubling until three retransmissions double the RTT")
    void rto_andBackoff() {
        TcpSocket sock = established(settings(), 65535);
        long base = sock.rtoNs();
        assertThat(base).as("after the handshake's 0 ms sample: rtt (2100+7)/8=263, dev (300+263+3)/4=141")
                .isEqualTo((263 + 4 * 141) * MS);
        sock.tx.append(new byte[100], 0, 100);
        sock.output(0, wire);
        assertThat(wire.take()).hasSize(1);
        assertThat(sock.rtoDeadline()).isEqualTo(base);
        assertThat(sock.output(base - 1, wire)).isZero();
        long t = base;
        for (int k = 1; k <= 3; k++) {
            assertThat(sock.output(t, wire)).as("retransmission %d", k).isEqualTo(1);
            assertThat(wire.take().get(0).seq()).isZero();
            assertThat(sock.retransmits()).isEqualTo(k);
            long next = sock.rtoDeadline();
            if (k < 3) {
                assertThat(next - t).as("same RTO after retransmission %d", k).isEqualTo(base);
            } else {
                assertThat(next - t).as("third retransmission doubles the RTT estimate").isGreaterThan(base);
            }
            t = next;
        }
    }

    @Test
    @DisplayName("RTT sample: Jacobson/Karels in ms; Karn's rule skips retransmitted segments")
    void rttSampling_karn() {
        RttEstimator e = new RttEstimator(true, 300, 100, 10, 10_000, 0);
        assertThat(e.rtoNs()).isEqualTo(700 * MS);
        e.onSend(0, 100);
        e.onAck(50 * MS, 100);
        assertThat(e.rttMs()).isEqualTo(269);
        assertThat(e.deviationMs()).isEqualTo(130);
        assertThat(e.rtoNs()).isEqualTo((269 + 520) * MS);
        e.onSend(60 * MS, 200);
        e.onRetransmit();
        e.onAck(900 * MS, 200);
        assertThat(e.rttMs()).as("no sample from a retransmitted segment").isEqualTo(269);
        RttEstimator low = new RttEstimator(true, 1, 0, 10, 10_000, 0);
        assertThat(low.rtoNs()).as("min RTO").isEqualTo(10 * MS);
        RttEstimator fixed = new RttEstimator(false, 300, 100, 10, 10_000, 200 * MS);
        fixed.onRetransmit();
        fixed.onRetransmit();
        assertThat(fixed.rtoNs()).isEqualTo(800 * MS);
        fixed.onAck(0, 5);
        assertThat(fixed.rtoNs()).isEqualTo(200 * MS);
    }

    @Test
    @DisplayName("fast retransmit after three duplicate ACKs")
    void fastRetransmit() {
        TcpSocket sock = established(settings("socket.tx_buffer", "16384", "net.segments_per_egress", "0"), 65535);
        sock.tx.append(new byte[4 * MSS], 0, 4 * MSS);
        assertThat(sock.output(1 * MS, wire)).isEqualTo(4);
        wire.take();
        sock.input(ack(MSS, 65535), 2 * MS, wire);
        for (int k = 0; k < 2; k++) {
            sock.input(ack(MSS, 65535), 2 * MS, wire);
            assertThat(sock.pollAt(2 * MS)).isGreaterThan(2 * MS);
        }
        sock.input(ack(MSS, 65535), 2 * MS, wire);
        assertThat(sock.pollAt(2 * MS)).isEqualTo(2 * MS);
        assertThat(sock.output(2 * MS, wire)).isEqualTo(3);
        assertThat(wire.take().get(0).seq()).isEqualTo(MSS);
        assertThat(sock.fastRetransmits()).isEqualTo(1);
    }

    @Test
    @DisplayName("FIN both ways: ours leaves after the data, theirs is ACKed at once; RST refuses or resets")
    void finAndRst() {
        TcpSocket sock = established(settings(), 65535);
        sock.tx.append(new byte[10], 0, 10);
        sock.close();
        assertThat(sock.state).isEqualTo(TcpState.FIN_WAIT);
        sock.output(1 * MS, wire);
        Segment fin = wire.take().get(0);
        assertThat(fin.has(Segment.FIN)).isTrue();
        assertThat(fin.length()).isEqualTo(10);
        sock.input(ack(11, 65535), 2 * MS, wire);
        assertThat(sock.rtoDeadline()).isEqualTo(-1);
        sock.input(Segment.control(1, Segment.FIN | Segment.ACK, 0, 11, 65535), 3 * MS, wire);
        assertThat(sock.state).isEqualTo(TcpState.DONE);
        assertThat(sock.output(3 * MS, wire)).isEqualTo(1);
        assertThat(wire.take().get(0).ack()).isEqualTo(1);
        assertThat(sock.finished()).isTrue();

        TcpSocket refused = new TcpSocket(2, 8, false, settings());
        refused.startConnect("x", 1, 0);
        refused.output(0, wire);
        refused.input(Segment.control(2, Segment.RST, 0, 0, 0), 1 * MS, wire);
        assertThat(refused.state).isEqualTo(TcpState.REFUSED);
        TcpSocket reset = established(settings(), 65535);
        reset.input(Segment.control(1, Segment.RST, 0, 0, 0), 1 * MS, wire);
        assertThat(reset.state).isEqualTo(TcpState.RESET);
        assertThat(reset.output(2 * MS, wire)).isZero();
    }
}
