package io.testbed.kernel.sim.time;

/**
 * One scheduled action. Events are totally ordered by (time, event class, sequence number), so two
 * runs with the same seed fire the same events in the same order.
 */
public final class Event implements Comparable<Event> {
    /** Event classes: at equal times, lower classes fire first. */
    public static final int CLASS_HARDWARE = 0;   // link deliveries, NIC
    public static final int CLASS_TIMER = 1;      // timer tick, hires timers
    public static final int CLASS_CPU = 2;        // end of a CPU step, dispatch
    public static final int CLASS_PROTOCOL = 3;   // TCP timers of the remote hosts

    final long time;
    final int cls;
    final long seq;
    final Runnable action;
    boolean cancelled;

    Event(long time, int cls, long seq, Runnable action) {
        this.time = time;
        this.cls = cls;
        this.seq = seq;
        this.action = action;
    }

    public long time() {
        return time;
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(Event o) {
        int c = Long.compare(time, o.time);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(cls, o.cls);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
