package io.testbed.kernel.sim.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** The validated, typed settings of one machine. Times are converted to nanoseconds here. */
public final class MachineSettings {
    public final String profile;
    private final Map<String, String> values;
    /** The typed settings' values, parsed once from {@link #values} (validated strings). */
    private final Map<String, Object> typed = new HashMap<>();
    private final PollMode pollMode;

    public final int threadSlots;
    public final long tickNs;
    public final int networkThreadRatio;
    public final int boostSlot;
    public final long pollRequestIntervalNs;
    public final int pollerSlot;
    public final boolean pollSyscall;
    public final long networkUpAtNs;
    public final int eagainIterations;
    public final int recvCap;
    public final int sendChunk;
    public final long sendTimeoutNs;
    public final long connectTimeoutNs;
    public final int maxIoBytes;
    public final int maxSockets;
    public final int maxSocketsPerProcess;
    public final int rxBuffer;
    public final int txBuffer;
    public final int mss;
    public final long ackDelayNs;
    public final int nicRxBuffers;
    public final int nicQueue;
    public final boolean nicDropWhenFull;
    public final long nicRefillNs;
    public final long linkBitsPerSecond;
    public final long linkLatencyNs;
    public final long linkJitterNs;
    public final long linkLossPpm;
    public final long tcpRtoNs;
    public final long closedLingerNs;
    public final int remoteWindow;
    public final long remoteRtoNs;
    public final long costSchedPass;
    public final long costContextSwitch;
    public final long costSyscall;
    public final long costSocketCheck;
    public final long costCopyPerKib;
    public final long costPollBase;
    public final long costPollFrame;
    public final long costIdleLoop;
    public final long costEcho;
    public final int sessions;
    public final long keystrokeIntervalNs;
    public final int upstreamBufferBytes;
    public final long upstreamQuietNs;
    public final long upstreamFirstByteNs;
    /** {@code upstream.sync=marks}: use an upstream's marks where it offers them. */
    public final boolean upstreamSyncMarks;
    public final long upstreamMarkTimeoutNs;
    public final long watchdogUserspaceNs;
    public final int startAfterThreads;
    public final long stopAtNs;
    public final boolean timerRelative;
    public final long irqLatencyNs;
    public final long costIrqEntry;
    public final boolean preemptWindows;
    public final long cooperativeTimeoutNs;
    public final boolean herd;
    public final boolean idleCleanup;
    public final long herdSleepNs;
    public final boolean sshAccept;
    public final boolean keystrokes;
    public final int sessionOutputYields;
    public final int sendtoFlushPolls;
    public final boolean recvGiveUpTimedOut;
    public final boolean recvWaker;
    public final long costYieldSpin;
    public final long costFlushPoll;
    public final long costSessionPoll;
    public final long costIdleCleanup;
    public final long costHerdLoop;
    public final long costSshAcceptRecreate;
    public final boolean rtoSmoltcp;
    public final int rttInitialMs;
    public final int rttInitialDevMs;
    public final int rtoMinMs;
    public final int rtoMaxMs;
    public final int fastRetransmitDupAcks;
    public final int assemblerMaxSegments;
    public final long challengeAckIntervalNs;
    public final boolean nagle;
    public final int segmentsPerEgress;
    public final int nicMtu;
    public final int nicMaxBurstSize;
    /** {@code machine.max_simulated_s}, in ns. */
    public final long maxSimulatedNs;
    /** {@code watchdog.syscall_wall_ms}, in ns of real time. */
    public final long watchdogSyscallWallNs;
    /** {@code engine.fast_forward}: idle stretches are crossed in one step (exactly; see sched.FastForward). */
    public final boolean fastForward;

    MachineSettings(String profile, Map<String, String> values) {
        this.profile = profile;
        this.values = Collections.unmodifiableMap(values);
        for (Setting<?> s : Settings.typed()) {
            typed.put(s.name(), s.parse(values.get(s.name())));
        }
        pollMode = get(Settings.POLL_MODE);
        threadSlots = i("sched.thread_slots");
        tickNs = l("timer.tick_us") * 1_000;
        networkThreadRatio = i("sched.network_thread_ratio");
        boostSlot = i("sched.boost_slot");
        pollRequestIntervalNs = l("sched.poll_request_interval_us") * 1_000;
        pollerSlot = i("net.poller_slot");
        pollSyscall = "enabled".equals(values.get("syscall.poll"));
        networkUpAtNs = l("net.boot_delay_ms") * 1_000_000;
        eagainIterations = i("syscall.eagain_iterations");
        recvCap = i("syscall.recv_cap");
        sendChunk = i("syscall.send_chunk");
        sendTimeoutNs = l("syscall.send_timeout_ms") * 1_000_000;
        connectTimeoutNs = l("syscall.connect_timeout_ms") * 1_000_000;
        maxIoBytes = i("syscall.max_io_bytes");
        maxSockets = i("socket.max");
        maxSocketsPerProcess = i("socket.max_per_process");
        rxBuffer = i("socket.rx_buffer");
        txBuffer = i("socket.tx_buffer");
        mss = i("tcp.mss");
        ackDelayNs = l("tcp.ack_delay_ms") * 1_000_000;
        nicRxBuffers = i("nic.rx_buffers");
        nicQueue = i("nic.queue");
        nicDropWhenFull = "drop".equals(values.get("nic.full_policy"));
        nicRefillNs = l("nic.refill_ns");
        linkBitsPerSecond = l("link.bandwidth_kbps") * 1_000;
        linkLatencyNs = l("link.latency_us") * 1_000;
        linkJitterNs = l("link.jitter_us") * 1_000;
        linkLossPpm = l("link.loss_ppm");
        tcpRtoNs = l("tcp.rto_ms") * 1_000_000;
        closedLingerNs = l("tcp.closed_linger_ms") * 1_000_000;
        remoteWindow = i("remote.window");
        remoteRtoNs = l("remote.rto_ms") * 1_000_000;
        costSchedPass = l("cost.sched_pass_ns");
        costContextSwitch = l("cost.context_switch_ns");
        costSyscall = l("cost.syscall_ns");
        costSocketCheck = l("cost.socket_check_ns");
        costCopyPerKib = l("cost.copy_per_kib_ns");
        costPollBase = l("cost.poll_base_ns");
        costPollFrame = l("cost.poll_frame_ns");
        costIdleLoop = l("cost.idle_loop_ns");
        costEcho = l("cost.echo_ns");
        sessions = i("sessions.count");
        keystrokeIntervalNs = l("sessions.keystroke_interval_ms") * 1_000_000;
        upstreamBufferBytes = i("upstream.buffer_bytes");
        upstreamQuietNs = l("upstream.quiet_ms") * 1_000_000;
        upstreamFirstByteNs = l("upstream.first_byte_timeout_ms") * 1_000_000;
        upstreamSyncMarks = "marks".equals(values.get("upstream.sync"));
        upstreamMarkTimeoutNs = l("upstream.mark_timeout_ms") * 1_000_000;
        watchdogUserspaceNs = l("watchdog.userspace_ms") * 1_000_000;
        startAfterThreads = i("machine.start_after_threads");
        stopAtNs = l("machine.stop_at_ms") * 1_000_000;
        timerRelative = "relative".equals(values.get("timer.rearm"));
        irqLatencyNs = l("timer.irq_latency_us") * 1_000;
        costIrqEntry = l("cost.irq_entry_ns");
        preemptWindows = "on".equals(values.get("sched.preempt_windows"));
        cooperativeTimeoutNs = l("sched.cooperative_timeout_ms") * 1_000_000;
        herd = "on".equals(values.get("threads.herd"));
        idleCleanup = "on".equals(values.get("threads.idle_cleanup"));
        herdSleepNs = l("herd.sleep_ms") * 1_000_000;
        sshAccept = "on".equals(values.get("threads.ssh_accept"));
        keystrokes = "on".equals(values.get("sessions.keystrokes"));
        sessionOutputYields = i("sessions.output_yields");
        sendtoFlushPolls = i("syscall.sendto_flush_polls");
        recvGiveUpTimedOut = "etimedout".equals(values.get("syscall.recv_giveup"));
        recvWaker = "waker".equals(values.get("syscall.recv_wait"));
        costYieldSpin = l("cost.yield_spin_ns");
        costFlushPoll = l("cost.flush_poll_ns");
        costSessionPoll = l("cost.session_poll_ns");
        costIdleCleanup = l("cost.idle_cleanup_ns");
        costHerdLoop = l("cost.herd_loop_ns");
        costSshAcceptRecreate = l("cost.ssh_accept_recreate_ns");
        rtoSmoltcp = "smoltcp".equals(values.get("tcp.rto_model"));
        rttInitialMs = i("tcp.rtt_initial_ms");
        rttInitialDevMs = i("tcp.rtt_initial_dev_ms");
        rtoMinMs = i("tcp.rto_min_ms");
        rtoMaxMs = i("tcp.rto_max_ms");
        fastRetransmitDupAcks = i("tcp.fast_retransmit_dupacks");
        assemblerMaxSegments = i("tcp.assembler_max_segments");
        challengeAckIntervalNs = l("tcp.challenge_ack_interval_ms") * 1_000_000;
        nagle = "enabled".equals(values.get("tcp.nagle"));
        segmentsPerEgress = i("net.segments_per_egress");
        nicMtu = i("nic.mtu");
        nicMaxBurstSize = i("nic.max_burst_size");
        if (rtoMinMs > rtoMaxMs) {
            throw new IllegalArgumentException("setting 'tcp.rto_min_ms' (" + rtoMinMs + ") must not exceed 'tcp.rto_max_ms' (" + rtoMaxMs + ")");
        }
        maxSimulatedNs = l("machine.max_simulated_s") * 1_000_000_000L;
        watchdogSyscallWallNs = l("watchdog.syscall_wall_ms") * 1_000_000;
        fastForward = "on".equals(values.get("engine.fast_forward"));
    }

    private long l(String name) {
        return Long.parseLong(values.get(name));
    }

    private int i(String name) {
        return Math.toIntExact(l(name));
    }

    /**
     * These settings with some values replaced (validated): for a model that reuses the machine's TCP with
     * other buffers, such as the smoltcp remote end.
     */
    public MachineSettings with(Map<String, String> changes) {
        return new MachineSettings(profile, Settings.apply(values, changes));
    }

    /** Every effective setting, by name. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of a typed setting, e.g. {@code get(Settings.SLEEP_MODEL)}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) typed.get(setting.name());
    }

    public boolean irqWakeup() {
        return pollMode == PollMode.IRQ_WAKEUP;
    }

    public boolean directPoll() {
        return pollMode == PollMode.DIRECT_POLL;
    }

    /** CPU time to copy {@code bytes} between user and kernel buffers. */
    public long copyCost(int bytes) {
        return costCopyPerKib * bytes / 1024;
    }
}
