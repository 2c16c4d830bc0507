package io.testbed.kernel.api;

/**
 * The names of a machine's counters ({@code MachineStats.counters} in {@code kernel.proto}), as kernel-sim
 * reports them and the gateway and the benchmarks read them. Besides these, {@link #SYSCALLS_PREFIX} and
 * {@link #ERRNO_PREFIX} name per-syscall and per-errno counts. "Simulated" time is the machine's; "real" time
 * is the wall clock of the engine thread.
 */
public final class Counters {
    /** Scheduler passes run (tick, yield, sleep, block, exit, wake). */
    public static final String PASSES = "passes";
    /** Times the core was given to a thread by a pass. */
    public static final String CONTEXT_SWITCHES = "context_switches";
    /** Timer interrupts taken. */
    public static final String TICKS = "ticks";
    /** Passes that boosted the boost slot (the network thread's ratio, or a policy's boost). */
    public static final String BOOSTS = "boosts";
    /** Ticks whose pass did nothing: preemption was off, or thread 0 was within its cooperative timeout. */
    public static final String TICKS_LOST = "ticks_lost";
    /** Ticks whose handler waited for the end of an IRQ-off window. */
    public static final String TICKS_DEFERRED = "ticks_deferred";
    /** Simulated time the core spent halted (wfi) with nothing to run, in ns. */
    public static final String HALTED_NS = "halted_ns";
    /** Polls of the network stack. */
    public static final String NETWORK_POLLS = "network_polls";
    /** Frames the polls took off the NIC. */
    public static final String FRAMES_IN = "frames_in";
    /** Segments the machine's sockets and sessions sent. */
    public static final String SEGMENTS_OUT = "segments_out";
    /** Frames that found no posted RX buffer and waited in the backend. */
    public static final String NIC_FRAMES_HELD = "nic_frames_held";
    /** Frames that found no posted RX buffer and were dropped ({@code nic.full_policy=drop}). */
    public static final String NIC_FRAMES_DROPPED = "nic_frames_dropped";
    /** Frames the downlink (remote to machine) carried. */
    public static final String LINK_DOWN_FRAMES = "link_down_frames";
    /** Bytes the downlink (remote to machine) carried. */
    public static final String LINK_DOWN_BYTES = "link_down_bytes";
    /** Segments the remote TCPs sent again. */
    public static final String RETRANSMITS_REMOTE = "retransmits_remote";
    /** Segments the machine's sockets sent again. */
    public static final String RETRANSMITS_LOCAL = "retransmits_local";
    /** Segments the lossy links dropped ({@code link.loss_ppm}). */
    public static final String SEGMENTS_LOST = "segments_lost";
    /** Upstream bytes that arrived after simulated time stopped waiting for them (the run may not repeat). */
    public static final String UPSTREAM_LATE_ARRIVALS = "upstream_late_arrivals";
    /** Upstream answers judged complete because a wall-clock window ran out (the run may not repeat). */
    public static final String UPSTREAM_QUIET_DECISIONS = "upstream_quiet_decisions";
    /** Marks received from upstreams' mark feeds. */
    public static final String UPSTREAM_MARKS = "upstream_marks";
    /** Remote ends (each with its real upstream connection) still kept. */
    public static final String REMOTE_PEERS = "remote_peers";
    /** The machine's open sockets. */
    public static final String SOCKETS_OPEN = "sockets_open";
    /** User threads alive. */
    public static final String USER_THREADS = "user_threads";
    /** User threads created so far. */
    public static final String USER_THREADS_CREATED = "user_threads_created";
    /** User threads killed (watchdogs, time limit, detach, machine deleted). */
    public static final String USER_THREADS_KILLED = "user_threads_killed";
    /** Events fired, plus the CPU steps that ran without going through the event queue. */
    public static final String EVENTS = "events";
    /** Events fired through the event queue. */
    public static final String EVENTS_QUEUED = "events_queued";
    /** Interactive SSH sessions. */
    public static final String SESSIONS = "sessions";
    /** Keystrokes that reached the NIC. */
    public static final String KEYSTROKES = "keystrokes";
    /** Echoes that left the machine. */
    public static final String ECHOES = "echoes";
    /** Median echo latency (keystroke at the NIC to echo on the wire), in ns. */
    public static final String ECHO_LATENCY_P50_NS = "echo_latency_p50_ns";
    /** 99th percentile echo latency, in ns. */
    public static final String ECHO_LATENCY_P99_NS = "echo_latency_p99_ns";
    /** Largest echo latency, in ns. */
    public static final String ECHO_LATENCY_MAX_NS = "echo_latency_max_ns";
    /** 1 when nothing can happen without a request from outside, else 0. */
    public static final String QUIESCENT = "quiescent";
    /** 1 when the machine holds at {@code machine.stop_at_ms}, else 0. */
    public static final String HELD_AT_STOP_TIME = "held_at_stop_time";
    /** User threads still awaited before the machine starts ({@code machine.start_after_threads}), or 0. */
    public static final String WAITING_FOR_THREADS = "waiting_for_threads";
    /** 1 when the machine is at {@code machine.max_simulated_s}, else 0. */
    public static final String AT_TIME_LIMIT = "at_time_limit";
    /** User threads killed at the time limit. */
    public static final String TIME_LIMIT_KILLS = "time_limit_kills";
    /** Hash of the machine's trace: equal for runs that repeat exactly. */
    public static final String TRACE_HASH = "trace_hash";
    /** Records in the trace. */
    public static final String TRACE_RECORDS = "trace_records";
    /** Idle fast-forward jumps (not part of the model's outputs). */
    public static final String FF_JUMPS = "ff_jumps";
    /** Scheduler passes the fast-forward crossed. */
    public static final String FF_SKIPPED_PASSES = "ff_skipped_passes";
    /** Simulated time the fast-forward crossed, in ns. */
    public static final String FF_SKIPPED_NS = "ff_skipped_ns";
    /** Repeating idle cycles the fast-forward recognised. */
    public static final String FF_CYCLES = "ff_cycles";
    /** File syscalls made. */
    public static final String FS_SYSCALLS = "fs_syscalls";
    /** Bytes read from files. */
    public static final String FS_BYTES_READ = "fs_bytes_read";
    /** Bytes written to files. */
    public static final String FS_BYTES_WRITTEN = "fs_bytes_written";
    /** 512-byte sectors read from the disk. */
    public static final String FS_SECTORS_READ = "fs_sectors_read";
    /** 512-byte sectors written to the disk. */
    public static final String FS_SECTORS_WRITTEN = "fs_sectors_written";
    /** Ext2 bitmap bits scanned for free blocks and inodes. */
    public static final String FS_BITMAP_BITS_SCANNED = "fs_bitmap_bits_scanned";
    /** Simulated time spent in file system work, in ns. */
    public static final String FS_TIME_NS = "fs_time_ns";
    /** Simulated time threads spun on the file system lock, in ns. */
    public static final String FS_LOCK_SPIN_NS = "fs_lock_spin_ns";
    /** The ext2's free blocks. */
    public static final String FS_FREE_BLOCKS = "fs_free_blocks";
    /** Bytes written to the console (fd 1 and 2). */
    public static final String CONSOLE_BYTES = "console_bytes";
    /** Bytes mapped by anonymous mmap so far. */
    public static final String MMAP_BYTES = "mmap_bytes";
    /** Bytes mapped now. */
    public static final String MMAP_MAPPED_BYTES = "mmap_mapped_bytes";
    /** Real time the engine thread spent firing events, in ns. */
    public static final String WALL_BUSY_NS = "wall_busy_ns";
    /** Real time the engine waited for clients in userspace, in ns. */
    public static final String WALL_CLIENT_WAIT_NS = "wall_client_wait_ns";
    /** Real time the engine held simulated time for upstreams, in ns. */
    public static final String WALL_UPSTREAM_HOLD_NS = "wall_upstream_hold_ns";
    /** Waits in which simulated time was held for an upstream. */
    public static final String UPSTREAM_HOLDS = "upstream_holds";
    /**
     * Syscalls the kernel made for clients in their would-block loops ({@code SyscallRequest.repeat}): each
     * a round trip the client saved; the syscalls themselves are counted as every other.
     */
    public static final String REPEATED_SYSCALLS = "repeated_syscalls";
    /** User threads killed because one syscall kept the engine busy too long ({@code watchdog.syscall_wall_ms}). */
    public static final String WATCHDOG_SYSCALL_KILLS = "watchdog_syscall_kills";
    /** Prefix of the per-syscall counts: {@code syscalls.<name>}, e.g. {@code syscalls.recvfrom}. */
    public static final String SYSCALLS_PREFIX = "syscalls.";
    /** Prefix of the per-errno counts of failed syscalls: {@code errno.<NAME>}, e.g. {@code errno.EAGAIN}. */
    public static final String ERRNO_PREFIX = "errno.";

    private Counters() {
    }
}
