package io.testbed.kernel.sim.net.link;

import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.Segment;

import java.util.function.Consumer;

/**
 * A serialising link: a frame waits for the wire to be free, takes size / bandwidth to transmit,
 * then arrives one latency later. Frames keep their order.
 */
public final class BasicLink implements Link {
    private final EventQueue events;
    private final long bitsPerSecond;
    private final long latencyNs;
    private final Consumer<Segment> receiver;
    private long busyUntil;
    private long frames;
    private long bytes;

    public BasicLink(EventQueue events, long bitsPerSecond, long latencyNs, Consumer<Segment> receiver) {
        this.events = events;
        this.bitsPerSecond = bitsPerSecond;
        this.latencyNs = latencyNs;
        this.receiver = receiver;
    }

    @Override
    public void send(Segment segment, long now) {
        long start = Math.max(now, busyUntil);
        long txNs = segment.wireBytes() * 8L * 1_000_000_000L / bitsPerSecond;
        busyUntil = start + txNs;
        frames++;
        bytes += segment.wireBytes();
        events.schedule(busyUntil + latencyNs, Event.CLASS_HARDWARE, () -> receiver.accept(segment));
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }
}
