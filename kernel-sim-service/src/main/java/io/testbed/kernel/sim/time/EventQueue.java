package io.testbed.kernel.sim.time;

import java.util.PriorityQueue;

/**
 * The machine's pending events in (time, class, sequence) order. It owns simulated "now" and refuses
 * to schedule into the past, as Shadow's event queue asserts.
 */
public final class EventQueue {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long fired;

    public long now() {
        return now;
    }

    public long fired() {
        return fired;
    }

    /** Events scheduled so far (live, cancelled or fired). */
    public long scheduled() {
        return seq;
    }

    public Event schedule(long time, int cls, Runnable action) {
        if (time < now) {
            throw new IllegalStateException("event at " + time + " ns is before now " + now + " ns");
        }
        Event e = new Event(time, cls, seq++, action);
        queue.add(e);
        return e;
    }

    /** The time of the next live event, or {@code Long.MAX_VALUE} if none. */
    public long peekTime() {
        Event e;
        while ((e = queue.peek()) != null && e.cancelled) {
            queue.poll();
        }
        return e == null ? Long.MAX_VALUE : e.time;
    }

    /** Fires the next event, advancing now to its time. Returns false if there is none. */
    public boolean fireNext() {
        Event e;
        do {
            e = queue.poll();
            if (e == null) {
                return false;
            }
        } while (e.cancelled);
        now = e.time;
        fired++;
        e.action.run();
        return true;
    }

    /** Moves now forward without an event (live clock catching up with an idle machine). */
    public void advanceTo(long time) {
        if (time > now) {
            now = time;
        }
    }
}
