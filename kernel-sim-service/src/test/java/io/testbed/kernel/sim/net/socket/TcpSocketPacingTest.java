package io.testbed.kernel.sim.net.socket;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The machine's TCP as a receiver against a textbook sender, with no machine around it: a fixed
 * one-way delay, a reader that empties the buffer at once, a poll at every arrival and whenever the
 * socket asks for one ({@link TcpSocket#pollAt}). The sender sends only full segments (sender-side
 * silly-window avoidance, as a BSD stack does). Throughput must match the closed forms: with Akuma's
 * 1474-byte clamp one segment fits, so each waits for the 10 ms delayed ACK: MSS / (RTT + ack delay);
 * without the clamp it is window / RTT, the window being what the ACK advertises: the buffer less the
 * segment it acknowledges (the ACK leaves in the poll, before the reader has read), and a window update
 * follows only when the window has doubled.
 */
class TcpSocketPacingTest {
    private static final long MS = 1_000_000L;
    private static final int MSS = 1460;
    private static final int SEGMENTS = 200;

    /** Payload bytes per second over {@link #SEGMENTS} full segments. */
    private static double throughput(long oneWayNs, String... kv) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        MachineSettings s = Profiles.resolve(null, o);
        EventQueue events = new EventQueue();
        TcpSocket sock = new TcpSocket(1, 8, false, s);
        Sender sender = new Sender(events, sock, oneWayNs);
        sock.startConnect("bulk.test", 80, 0);
        sender.poll();
        while (sender.acked < (long) SEGMENTS * MSS && events.fireNext()) {
            assertThat(events.now()).as("stalled").isLessThan(600_000 * MS);
        }
        return (double) SEGMENTS * MSS / ((sender.lastAckAt - sender.firstSentAt) / 1e9);
    }

    /** The peer: answers the SYN, then sends full segments the machine's window allows. */
    private static final class Sender {
        final EventQueue events;
        final TcpSocket sock;
        final long delay;
        long nextSeq;
        long acked;
        int wnd;
        long firstSentAt = -1;
        long lastAckAt;
        Event pollEvent;
        final Link uplink;

        Sender(EventQueue events, TcpSocket sock, long delay) {
            this.events = events;
            this.sock = sock;
            this.delay = delay;
            this.uplink = (seg, now) -> events.schedule(now + delay, Event.CLASS_HARDWARE, () -> atSender(seg));
        }

        void atSender(Segment seg) {
            long now = events.now();
            if (seg.has(Segment.SYN)) {
                events.schedule(now + delay, Event.CLASS_HARDWARE,
                        () -> atMachine(Segment.control(1, Segment.SYN | Segment.ACK, -1, 0, 65535)));
                return;
            }
            if (seg.ack() > acked) {
                acked = seg.ack();
                lastAckAt = now;
            }
            wnd = seg.wnd();
            while (nextSeq + MSS <= acked + wnd && nextSeq < (long) SEGMENTS * MSS) {
                Segment data = new Segment(1, Segment.ACK, nextSeq, 0, 65535, new byte[MSS]);
                firstSentAt = firstSentAt < 0 ? now : firstSentAt;
                nextSeq += MSS;
                events.schedule(now + delay, Event.CLASS_HARDWARE, () -> atMachine(data));
            }
        }

        void atMachine(Segment seg) {
            sock.input(seg, events.now(), uplink);
            poll();
        }

        /** A network poll: send what is owed, the reader empties the buffer, and ask for the next poll. */
        void poll() {
            long now = events.now();
            sock.output(now, uplink);
            sock.rx.take(sock.rx.size());
            long at = sock.pollAt(now);
            if (pollEvent != null) {
                pollEvent.cancel();
            }
            pollEvent = at < 0 ? null : events.schedule(Math.max(at, now + 1), Event.CLASS_TIMER, this::poll);
        }
    }

    @Test
    @DisplayName("Akuma's clamp: one segment in flight, paced by the delayed ACK: MSS / (RTT + 10 ms)")
    void clamp_pacedByDelayedAck() {
        for (long oneWayMs : new long[]{1, 5, 25}) {
            double got = throughput(oneWayMs * MS);
            double expected = MSS / ((2 * oneWayMs + 10) / 1e3);
            System.out.printf("clamp 1474 B, one-way %d ms: %.0f B/s (MSS/(RTT+10ms) = %.0f)%n", oneWayMs, got, expected);
            assertThat(got).isCloseTo(expected, within(0.01 * expected));
        }
    }

    @Test
    @DisplayName("no clamp, no delayed ACK: window / RTT, the window being the buffer less the segment the ACK leaves before the reader reads it, in full segments")
    void noClamp_windowOverRtt() {
        for (int buffer : new int[]{4096, 16384}) {
            double got = throughput(5 * MS, "nic.max_burst_size", "0", "tcp.ack_delay_ms", "0", "socket.rx_buffer", Integer.toString(buffer));
            double expected = ((buffer - MSS) / MSS) * MSS / 0.010;
            System.out.printf("no clamp, %d B buffer, RTT 10 ms: %.0f B/s (window/RTT = %.0f)%n", buffer, got, expected);
            assertThat(got).isCloseTo(expected, within(0.02 * expected));
        }
    }

    @Test
    @DisplayName("no clamp, 10 ms delayed ACK, 16 KiB: every second segment is ACKed at once, so window / RTT still holds")
    void noClamp_delayedAckAcksEverySecondSegment() {
        double got = throughput(5 * MS, "nic.max_burst_size", "0", "socket.rx_buffer", "16384");
        double expected = ((16384 - MSS) / MSS) * MSS / 0.010;
        assertThat(got).isCloseTo(expected, within(0.05 * expected));
    }
}
