package io.testbed.kernel.sim.net.nic;

import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.Segment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The virtio-net receive side as Akuma's driver uses it: a few RX buffers posted at a time (one, at
 * the seed's commit). A frame that arrives while every posted buffer is full is held by the backend
 * (QEMU queues it, up to {@code queue} frames) or dropped. Buffers are reposted when the network
 * stack is polled; a held frame lands in a reposted buffer after {@code refillNs}.
 */
public final class Nic {
    private final EventQueue events;
    private final int rxBuffers;
    private final int queueLimit;
    private final boolean dropWhenFull;
    private final long refillNs;
    private final ArrayDeque<Segment> received = new ArrayDeque<>();
    private final ArrayDeque<Segment> held = new ArrayDeque<>();
    private boolean refillScheduled;
    private long framesReceived;
    private long framesHeld;
    private long framesDropped;
    private Runnable onLanded = () -> { };

    public Nic(EventQueue events, int rxBuffers, int queueLimit, boolean dropWhenFull, long refillNs) {
        this.events = events;
        this.rxBuffers = rxBuffers;
        this.queueLimit = queueLimit;
        this.dropWhenFull = dropWhenFull;
        this.refillNs = refillNs;
    }

    /** Called when a frame lands in an RX buffer (the NIC's receive interrupt). */
    public void onLanded(Runnable interrupt) {
        this.onLanded = interrupt;
    }

    /** A frame arrives from the link. */
    public void receive(Segment frame) {
        if (received.size() < rxBuffers && held.isEmpty()) {
            received.add(frame);
            framesReceived++;
            onLanded.run();
        } else if (!dropWhenFull && held.size() < queueLimit) {
            held.add(frame);
            framesHeld++;
        } else {
            framesDropped++;
        }
    }

    /** The driver takes every filled buffer and reposts them (called by a network poll; most find none). */
    public List<Segment> takeReceived(long now) {
        List<Segment> out;
        if (received.isEmpty()) {
            out = List.of();
        } else {
            out = new ArrayList<>(received);
            received.clear();
        }
        if (!held.isEmpty() && !refillScheduled) {
            refillScheduled = true;
            events.schedule(now + refillNs, Event.CLASS_HARDWARE, this::refill);
        }
        return out;
    }

    private void refill() {
        refillScheduled = false;
        boolean landed = false;
        while (received.size() < rxBuffers && !held.isEmpty()) {
            received.add(held.poll());
            framesReceived++;
            landed = true;
        }
        if (landed) {
            onLanded.run();
        }
    }

    /** Whether a poll's {@link #takeReceived} would change anything (frames to take, or a refill to start). */
    public boolean pollWouldAct() {
        return !received.isEmpty() || (!held.isEmpty() && !refillScheduled);
    }

    public boolean idle() {
        return received.isEmpty() && held.isEmpty();
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long framesHeld() {
        return framesHeld;
    }

    public long framesDropped() {
        return framesDropped;
    }
}
