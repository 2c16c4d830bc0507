package io.testbed.kernel.sim.session;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.time.SeededRandom;
import io.testbed.kernel.sim.net.LocalEndpoint;
import io.testbed.kernel.sim.net.Segment;
import io.testbed.kernel.sim.net.link.Link;
import io.testbed.kernel.sim.net.nic.Nic;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadProgram;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * The "SSH became unresponsive" half of the seed: interactive sessions modelled as Akuma's SSH. Each
 * session's keystrokes arrive on the NIC at seeded exponential intervals; a network poll must take
 * them off the NIC, the session's own thread must run to handle them, and the echo leaves at the next
 * poll. Echo latency is keystroke arrival at the NIC to echo on the wire.
 */
public final class InteractiveSessions implements LocalEndpoint {
    /** Connection ids of sessions are negative (-1 - session index), so they never meet a socket's. */
    @Override
    public boolean owns(long conn) {
        return conn < 0;
    }

    /** Bytes of one SSH packet carrying a keystroke or its echo (encrypted, MAC'd). */
    static final int PACKET_BYTES = 48;

    private final MachineSettings settings;
    private final EventQueue events;
    private final SeededRandom random;
    private final Nic nic;
    private final LongConsumer latencyListener;
    private final Session[] sessions;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private long keystrokes;

    private Runnable echoQueued = () -> { };

    /** Called when a session thread queued an echo (an interrupt-driven stack transmits at once). */
    public void onEchoQueued(Runnable r) {
        this.echoQueued = r;
    }

    public InteractiveSessions(MachineSettings settings, EventQueue events, SeededRandom random, Nic nic,
                               LongConsumer latencyListener) {
        this.settings = settings;
        this.events = events;
        this.random = random;
        this.nic = nic;
        this.latencyListener = latencyListener;
        this.sessions = new Session[settings.getInt(Settings.SESSIONS_COUNT)];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new Session(i);
        }
    }

    public int count() {
        return sessions.length;
    }

    /** Starts the keystroke arrivals of every session. */
    public void start(long now) {
        if (!settings.is(Settings.SESSIONS_KEYSTROKES)) {
            return;
        }
        for (Session s : sessions) {
            s.scheduleNextKeystroke(now);
        }
    }

    /** The program of session {@code index}'s thread. */
    public ThreadProgram program(int index) {
        return sessions[index];
    }

    /** A session frame taken off the NIC by a poll. */
    @Override
    public void received(Segment frame, long now) {
        Session s = sessions[(int) (-frame.conn() - 1)];
        s.inbox.add(frame.seq());
    }

    /** Sends the echoes the session threads produced since the last poll; returns how many. */
    @Override
    public int flush(long now, Link uplink) {
        int sent = 0;
        for (Session s : sessions) {
            while (!s.echoes.isEmpty()) {
                long arrivedAt = s.echoes.poll();
                uplink.send(new Segment(-1L - s.index, Segment.ACK, 0, 0, 0, new byte[PACKET_BYTES]), now);
                record(now - arrivedAt);
                sent++;
            }
        }
        return sent;
    }

    private void record(long latency) {
        latencies.record(latency);
        latencyListener.accept(latency);
    }

    /** Whether a poll's {@link #flush} would send an echo. */
    @Override
    public boolean sendQueued() {
        for (Session s : sessions) {
            if (!s.echoes.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public long echoes() {
        return latencies.count();
    }

    public long keystrokes() {
        return keystrokes;
    }

    /**
     * The q-quantile (0..1) of echo latencies so far, in ns, or 0 if none: exact for the first 65,536
     * echoes, then at most 0.1% high ({@link LatencyRecorder}).
     */
    public long latencyQuantile(double q) {
        return latencies.quantile(q);
    }

    private final class Session implements ThreadProgram {
        private final int index;
        /** Arrival times at the NIC of keystrokes taken off it, not yet handled. */
        private final ArrayDeque<Long> inbox = new ArrayDeque<>();
        /** Arrival times of handled keystrokes whose echo waits for the next poll. */
        private final ArrayDeque<Long> echoes = new ArrayDeque<>();

        Session(int index) {
            this.index = index;
        }

        void scheduleNextKeystroke(long now) {
            long gap = Math.max(1, (long) random.exponential(settings.getLong(Settings.SESSIONS_KEYSTROKE_INTERVAL_NS)));
            events.schedule(now + gap, Event.CLASS_HARDWARE, this::keystroke);
        }

        private void keystroke() {
            long now = events.now();
            keystrokes++;
            nic.receive(new Segment(-1L - index, Segment.ACK, now, 0, 0, new byte[PACKET_BYTES]));
            scheduleNextKeystroke(now);
        }

        /** Yields still to make, preemption off, after output (Akuma's 20 yields). */
        private int yieldsLeft;

        /**
         * Handle one keystroke if there is one, else check again after a yield (Akuma's {@code block_on}
         * polls with preemption off, then yields and spins; after output it yields 20 more times).
         */
        @Override
        public Step next(long now) {
            if (yieldsLeft > 0) {
                yieldsLeft--;
                return windowed(Step.yield(0));
            }
            Long arrivedAt = inbox.poll();
            if (arrivedAt == null) {
                // polled stacks: Akuma's loops yield; with interrupts the thread sleeps until one wakes it
                return settings.irqWakeup() ? Step.block(settings.getLong(Settings.COST_SOCKET_CHECK_NS), Long.MAX_VALUE)
                        : windowed(Step.yield(settings.getLong(Settings.COST_SESSION_POLL_NS) + settings.getLong(Settings.COST_YIELD_SPIN_NS)));
            }
            echoes.add(arrivedAt);
            echoQueued.run();
            yieldsLeft = settings.is(Settings.SCHED_PREEMPT_WINDOWS) && !settings.irqWakeup() ? settings.getInt(Settings.SESSIONS_OUTPUT_YIELDS) : 0;
            return windowed(Step.yield(settings.getLong(Settings.COST_ECHO_NS)));
        }

        @Override
        public long ffPhase() {
            return inbox.isEmpty() && echoes.isEmpty() ? yieldsLeft : FF_UNSUPPORTED;
        }

        @Override
        public long ffQuietUntil(long now) {
            return inbox.isEmpty() ? Long.MAX_VALUE : now; // a keystroke to handle queues an echo
        }

        private Step windowed(Step step) {
            return settings.is(Settings.SCHED_PREEMPT_WINDOWS) ? step.preemptionOff() : step;
        }
    }
}
