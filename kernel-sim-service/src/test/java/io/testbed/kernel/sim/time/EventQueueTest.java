package io.testbed.kernel.sim.time;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event queue alone: (time, class, sequence) order, cancellation, and its refusal of the past. */
class EventQueueTest {
    private final EventQueue q = new EventQueue();
    private final List<String> fired = new ArrayList<>();

    private Event at(long time, int cls, String name) {
        return q.schedule(time, cls, () -> fired.add(name + "@" + q.now()));
    }

    private void drain() {
        while (q.fireNext()) {
            // fire all
        }
    }

    @Test
    @DisplayName("events fire by time, then class (hardware before timer before CPU before protocol), then scheduling order")
    void ordering_timeClassSequence() {
        at(20, Event.CLASS_CPU, "cpu20");
        at(10, Event.CLASS_PROTOCOL, "proto10");
        at(10, Event.CLASS_HARDWARE, "hw10a");
        at(10, Event.CLASS_TIMER, "timer10");
        at(10, Event.CLASS_HARDWARE, "hw10b");
        at(5, Event.CLASS_PROTOCOL, "proto5");
        drain();
        assertThat(fired).containsExactly("proto5@5", "hw10a@10", "hw10b@10", "timer10@10", "proto10@10", "cpu20@20");
        assertThat(q.fired()).isEqualTo(6);
        assertThat(q.now()).isEqualTo(20);
    }

    @Test
    @DisplayName("a cancelled event never fires and peekTime skips it")
    void cancel_skipsEvent() {
        Event a = at(10, Event.CLASS_TIMER, "a");
        at(30, Event.CLASS_TIMER, "b");
        a.cancel();
        assertThat(a.cancelled()).isTrue();
        assertThat(q.peekTime()).isEqualTo(30);
        drain();
        assertThat(fired).containsExactly("b@30");
        assertThat(q.fired()).isEqualTo(1);
    }

    @Test
    @DisplayName("events scheduled while firing keep the order; an empty queue reports Long.MAX_VALUE and fires nothing")
    void reentrantScheduling_andEmpty() {
        q.schedule(10, Event.CLASS_CPU, () -> {
            fired.add("first@" + q.now());
            at(10, Event.CLASS_PROTOCOL, "sameTimeLaterClass");
            at(10, Event.CLASS_HARDWARE, "sameTimeEarlierClass");
            at(11, Event.CLASS_HARDWARE, "later");
        });
        drain();
        assertThat(fired).containsExactly("first@10", "sameTimeEarlierClass@10", "sameTimeLaterClass@10", "later@11");
        assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(q.fireNext()).isFalse();
    }

    @Test
    @DisplayName("scheduling before now is refused; advanceTo only moves forward")
    void past_refused_andAdvance() {
        q.advanceTo(100);
        assertThat(q.now()).isEqualTo(100);
        q.advanceTo(50);
        assertThat(q.now()).isEqualTo(100);
        assertThatThrownBy(() -> at(99, Event.CLASS_TIMER, "past")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before now");
        at(100, Event.CLASS_TIMER, "now");
        drain();
        assertThat(fired).containsExactly("now@100");
    }
}
