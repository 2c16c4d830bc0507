package io.testbed.kernel.sim.net.nic;

import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.Segment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The virtio-net receive side on its own: posted RX buffers, frames held or dropped, refill after a poll. */
class NicTest {
    private static Segment frame(int n) {
        return Segment.control(1, Segment.ACK, n, 0, 0);
    }

    @Test
    @DisplayName("one posted buffer: the first frame lands, the next ones are held, the queue limit drops the rest")
    void oneBuffer_holdsThenDrops() {
        EventQueue events = new EventQueue();
        Nic nic = new Nic(events, 1, 2, false, 1_000);
        int[] interrupts = {0};
        nic.onLanded(() -> interrupts[0]++);
        for (int i = 0; i < 4; i++) {
            nic.receive(frame(i));
        }
        assertThat(nic.framesReceived()).isEqualTo(1);
        assertThat(nic.framesHeld()).isEqualTo(2);
        assertThat(nic.framesDropped()).isEqualTo(1);
        assertThat(interrupts[0]).isEqualTo(1);

        List<Segment> got = nic.takeReceived(0);
        assertThat(got).extracting(Segment::seq).containsExactly(0L);
        assertThat(nic.pollWouldAct()).isFalse();
        assertThat(events.peekTime()).as("refill scheduled refill_ns later").isEqualTo(1_000);
        assertThat(events.fireNext()).isTrue();
        assertThat(nic.pollWouldAct()).isTrue();
        assertThat(interrupts[0]).isEqualTo(2);
        assertThat(nic.takeReceived(events.now())).extracting(Segment::seq).containsExactly(1L);
        events.fireNext();
        assertThat(nic.takeReceived(events.now())).extracting(Segment::seq).containsExactly(2L);
        assertThat(nic.idle()).isTrue();
    }

    @Test
    @DisplayName("a frame arriving while frames are held queues behind them, keeping order")
    void heldFramesKeepOrder() {
        EventQueue events = new EventQueue();
        Nic nic = new Nic(events, 2, 16, false, 500);
        for (int i = 0; i < 5; i++) {
            nic.receive(frame(i));
        }
        assertThat(nic.takeReceived(0)).extracting(Segment::seq).containsExactly(0L, 1L);
        nic.receive(frame(5));
        assertThat(nic.pollWouldAct()).as("held frames go first").isFalse();
        events.fireNext();
        assertThat(nic.takeReceived(events.now())).extracting(Segment::seq).containsExactly(2L, 3L);
        events.fireNext();
        assertThat(nic.takeReceived(events.now())).extracting(Segment::seq).containsExactly(4L, 5L);
    }

    @Test
    @DisplayName("drop policy: a frame finding no posted buffer is lost")
    void dropPolicy() {
        EventQueue events = new EventQueue();
        Nic nic = new Nic(events, 1, 16, true, 1_000);
        nic.receive(frame(0));
        nic.receive(frame(1));
        assertThat(nic.framesDropped()).isEqualTo(1);
        assertThat(nic.framesHeld()).isZero();
        assertThat(nic.takeReceived(0)).hasSize(1);
        assertThat(events.peekTime()).as("nothing to refill").isEqualTo(Long.MAX_VALUE);
        nic.receive(frame(2));
        assertThat(nic.framesReceived()).isEqualTo(2);
    }
}
