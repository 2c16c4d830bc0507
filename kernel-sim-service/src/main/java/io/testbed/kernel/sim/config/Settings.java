package io.testbed.kernel.sim.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every knob of a simulated machine, with Akuma's values at the seed's commit (2026-01-31) as
 * defaults. Profiles ({@link Profiles}) and per-machine overrides change them; {@link MachineSettings}
 * is the validated, typed result.
 */
public final class Settings {
    private static final Map<String, SettingDef> DEFS = new LinkedHashMap<>();
    private static final List<Setting<?>> TYPED = new ArrayList<>();

    // every setting, typed, in wire order; read in the model as settings.get(SLEEP_MODEL),
    // settings.getLong(TIMER_TICK_NS), settings.getInt(TCP_MSS) or settings.is(THREADS_HERD)

    // CPU, timer, scheduler (Akuma src/threading.rs, src/config.rs)
    /**
     * {@code cpu.cores}: kept on the wire and validated (its range admits only 1: the model has one core by
     * construction, so the model does not read it); an override of another value is refused.
     */
    public static final Setting<Long> CPU_CORES = add(Setting.number("cpu.cores", 1, 1, 1, "simulated cores (Akuma runs on one core)"));
    public static final Setting<Long> TIMER_TICK_NS = add(Setting.microsAsNanos("timer.tick_us", 10_000, 100, 1_000_000, "timer interrupt period = quantum (Akuma: 10 ms, 100 Hz)"));
    public static final Setting<Integer> SCHED_THREAD_SLOTS = add(Setting.integer("sched.thread_slots", 32, 10, 32, "thread slots: 0 boot/idle, 1-7 system, 8+ user (Akuma: 32)"));
    public static final Setting<SchedPolicy> SCHED_POLICY = add(Setting.choice("sched.policy", SchedPolicy.AKUMA_RATIO,
            SchedPolicy.class, "scheduling policy (akuma-ratio: Akuma at the seed's commit)"));
    public static final Setting<Integer> SCHED_NETWORK_THREAD_RATIO = add(Setting.integer("sched.network_thread_ratio", 4, 1, 1000, "akuma-ratio: boost the boost slot every N passes (NETWORK_THREAD_RATIO)"));
    public static final Setting<Integer> SCHED_BOOST_SLOT = add(Setting.integer("sched.boost_slot", 0, 0, 7, "the slot the ratio, always-boost and poll-request policies boost (Akuma boosts thread 0)"));
    public static final Setting<RoundRobinFrom> ROUND_ROBIN_FROM = add(Setting.choice("sched.round_robin_from", RoundRobinFrom.CURRENT,
            RoundRobinFrom.class, "akuma-ratio and the poll-request policies: round robin starts after the current thread (the seed's commit) "
                    + "or after the thread it picked last, a cursor boosts do not move (Akuma's later round_robin_idx)"));
    public static final Setting<Long> SCHED_POLL_REQUEST_INTERVAL_NS = add(Setting.microsAsNanos("sched.poll_request_interval_us", 10_000, 0, 10_000_000, "poll-request-rate-limited: least time between honoured requests"));
    public static final Setting<SleepModel> SLEEP_MODEL = add(Setting.choice("sleep.model", SleepModel.WFI_UNTIL_TICK, SleepModel.class,
            "nanosleep: woken by a scheduler pass after the deadline (Akuma), rounded up to a tick, or exactly at the deadline"));

    // network polling
    public static final Setting<PollMode> POLL_MODE = add(Setting.choice("net.poll_mode", PollMode.POLLER_THREAD, PollMode.class,
            "who moves packets: the network thread that polls and yields (Akuma); also syscalls polling the stack "
                    + "themselves (idea 3); or the NIC interrupt, with sockets that block until woken (the blocking-socket alternative)"));
    public static final Setting<Integer> NET_POLLER_SLOT = add(Setting.integer("net.poller_slot", 1, 0, 7, "slot of the network thread (Akuma's code at the seed: 1; the seed doc: 0)"));
    public static final Setting<Long> NET_BOOT_DELAY_NS = add(Setting.millisAsNanos("net.boot_delay_ms", 0, 0, 60_000, "simulated time until the network is up; ENETDOWN before"));

    // syscalls (Akuma src/syscall.rs)
    public static final Setting<Integer> SYSCALL_EAGAIN_ITERATIONS = add(Setting.integer("syscall.eagain_iterations", 50, 1, 100_000, "recvfrom: checks (with a yield between) before EAGAIN"));
    public static final Setting<Integer> SYSCALL_RECV_CAP = add(Setting.integer("syscall.recv_cap", 4096, 1, 65_536, "recvfrom: most bytes copied per call"));
    public static final Setting<Integer> SYSCALL_SEND_CHUNK = add(Setting.integer("syscall.send_chunk", 4096, 1, 65_536, "sendto: bytes moved into the tx buffer per step"));
    public static final Setting<Long> SYSCALL_SEND_TIMEOUT_NS = add(Setting.millisAsNanos("syscall.send_timeout_ms", 10_000, 1, 600_000, "sendto: ETIMEDOUT when the tx buffer stays full this long"));
    public static final Setting<Long> SYSCALL_CONNECT_TIMEOUT_NS = add(Setting.millisAsNanos("syscall.connect_timeout_ms", 30_000, 1, 600_000, "connect: ETIMEDOUT after this long"));
    public static final Setting<Boolean> SYSCALL_POLL = add(Setting.flag("syscall.poll", "enabled", "disabled", List.of("disabled", "enabled"), "whether the kernel offers poll (Akuma at the seed: no)"));
    public static final Setting<Integer> SYSCALL_MAX_IO_BYTES = add(Setting.integer("syscall.max_io_bytes", 65_536, 1, 1 << 20, "largest sendto payload accepted per call (EINVAL above)"));

    // sockets and TCP (smoltcp 0.12 via embassy-net)
    public static final Setting<Integer> SOCKET_MAX = add(Setting.integer("socket.max", 32, 1, 1024, "sockets per machine (Akuma: 32)"));
    public static final Setting<Integer> SOCKET_MAX_PER_PROCESS = add(Setting.integer("socket.max_per_process", 16, 1, 1024, "open sockets per user thread before EMFILE"));
    public static final Setting<Integer> SOCKET_RX_BUFFER = add(Setting.integer("socket.rx_buffer", 4096, 512, 16 << 20, "socket receive buffer; the receive window is its free space"));
    public static final Setting<Integer> SOCKET_TX_BUFFER = add(Setting.integer("socket.tx_buffer", 4096, 512, 16 << 20, "socket transmit buffer"));
    public static final Setting<Integer> TCP_MSS = add(Setting.integer("tcp.mss", 1460, 536, 65_000, "TCP maximum segment size"));
    public static final Setting<Long> TCP_ACK_DELAY_NS = add(Setting.millisAsNanos("tcp.ack_delay_ms", 10, 0, 1000, "delayed ACK (smoltcp 0.12 default 10 ms; ACK every second segment)"));
    public static final Setting<Long> TCP_CLOSED_LINGER_NS = add(Setting.millisAsNanos("tcp.closed_linger_ms", 0, 0, 3_600_000,
                "a socket the application closed is freed after this long even if the peer never finishes "
                        + "(0: never, as smoltcp/Akuma: a silent peer keeps it forever; Linux's FIN-WAIT-2 timeout is 60000)"));
    public static final Setting<Long> TCP_RTO_NS = add(Setting.millisAsNanos("tcp.rto_ms", 200, 1, 60_000, "tcp.rto_model=fixed: retransmission timeout of the machine's sockets (checked at polls; doubles per retry)"));

    // smoltcp 0.12 socket internals (src/socket/tcp.rs, src/storage/assembler.rs, src/iface/*; docs/MODEL.md "The machine's TCP")
    public static final Setting<Boolean> TCP_RTO_MODEL_SMOLTCP = add(Setting.flag("tcp.rto_model", "smoltcp", "smoltcp", List.of("smoltcp", "fixed"),
                "smoltcp: RTO from smoltcp 0.12's RttEstimator (Jacobson/Karels, Karn's rule, tcp.rtt_* and tcp.rto_min/max_ms); "
                        + "fixed: tcp.rto_ms doubling per retry (the earlier model)"));
    public static final Setting<Integer> TCP_RTT_INITIAL_MS = add(Setting.integer("tcp.rtt_initial_ms", 300, 1, 60_000, "smoltcp RTTE_INITIAL_RTT: RTT estimate before the first sample (initial RTO = 300 + 4 x 100 = 700 ms)"));
    public static final Setting<Integer> TCP_RTT_INITIAL_DEV_MS = add(Setting.integer("tcp.rtt_initial_dev_ms", 100, 0, 60_000, "smoltcp RTTE_INITIAL_DEV: RTT deviation before the first sample"));
    public static final Setting<Integer> TCP_RTO_MIN_MS = add(Setting.integer("tcp.rto_min_ms", 10, 1, 60_000, "smoltcp RTTE_MIN_RTO: least retransmission timeout"));
    public static final Setting<Integer> TCP_RTO_MAX_MS = add(Setting.integer("tcp.rto_max_ms", 10_000, 1, 600_000, "smoltcp RTTE_MAX_RTO: greatest retransmission timeout"));
    public static final Setting<Integer> TCP_FAST_RETRANSMIT_DUPACKS = add(Setting.integer("tcp.fast_retransmit_dupacks", 3, 0, 100, "duplicate ACKs that trigger smoltcp's fast retransmit (go back to the oldest unacknowledged byte); 0: off"));
    public static final Setting<Integer> TCP_ASSEMBLER_MAX_SEGMENTS = add(Setting.integer("tcp.assembler_max_segments", 4, 0, 64,
                "out-of-order ranges the receive assembler keeps (smoltcp ASSEMBLER_MAX_SEGMENT_COUNT, default 4; 0: drop every out-of-order segment)"));
    public static final Setting<Long> TCP_CHALLENGE_ACK_INTERVAL_NS = add(Setting.millisAsNanos("tcp.challenge_ack_interval_ms", 1_000, 0, 60_000,
                "least time between ACKs answering segments outside the receive window (smoltcp rate-limits challenge ACKs to one per second; 0: no limit)"));
    public static final Setting<Boolean> TCP_NAGLE = add(Setting.flag("tcp.nagle", "enabled", "enabled", List.of("enabled", "disabled"),
                "Nagle's algorithm on the machine's sockets (smoltcp and embassy-net default: enabled; Akuma disables it at 9a4fcd8a)"));
    public static final Setting<Integer> NET_SEGMENTS_PER_EGRESS = add(Setting.integer("net.segments_per_egress", 1, 0, 1_000_000,
                "segments each socket may send per poll's egress pass (smoltcp 0.12 dispatches each socket once per poll: 1; 0: unlimited)"));

    // NIC (virtio-net driver)
    public static final Setting<Integer> NIC_RX_BUFFERS = add(Setting.integer("nic.rx_buffers", 1, 1, 256, "RX buffers posted at a time (Akuma: one 2048-byte buffer)"));
    public static final Setting<Integer> NIC_QUEUE = add(Setting.integer("nic.queue", 16, 1, 4096, "frames the NIC backend holds while no RX buffer is posted"));
    public static final Setting<Boolean> NIC_FULL_POLICY_DROP = add(Setting.flag("nic.full_policy", "drop", "hold", List.of("hold", "drop"), "a frame that finds no RX buffer: held (QEMU) or dropped"));
    public static final Setting<Long> NIC_REFILL_NS = add(Setting.number("nic.refill_ns", 1_000, 0, 1_000_000, "delay before a held frame lands in a reposted RX buffer"));
    public static final Setting<Integer> NIC_MTU = add(Setting.integer("nic.mtu", 1514, 100, 65_535, "the device's max_transmission_unit as the virtio driver reports it (Ethernet frame, 1514)"));
    public static final Setting<Integer> NIC_MAX_BURST_SIZE = add(Setting.integer("nic.max_burst_size", 1, 0, 1024,
                "the device's max_burst_size (Akuma's virtio driver: 1); smoltcp clamps every advertised TCP window to "
                        + "max_burst_size x (mtu - IP - TCP headers) = 1474 B; 0: no clamp (None)"));

    // link and the remote host
    public static final Setting<Long> LINK_BANDWIDTH_BPS = add(Setting.kilobitsAsBits("link.bandwidth_kbps", 100_000, 1, 100_000_000, "link bandwidth, kilobits per second, each direction"));
    public static final Setting<Long> LINK_LATENCY_NS = add(Setting.microsAsNanos("link.latency_us", 1_000, 0, 10_000_000, "one-way latency"));
    public static final Setting<Long> LINK_JITTER_NS = add(Setting.microsAsNanos("link.jitter_us", 0, 0, 10_000_000, "extra one-way delay, seeded, uniform in [0, jitter]; order kept"));
    public static final Setting<Long> LINK_LOSS_PPM = add(Setting.number("link.loss_ppm", 0, 0, 500_000, "segments lost per million, each direction, seeded"));
    public static final Setting<Integer> REMOTE_WINDOW = add(Setting.integer("remote.window", 65_535, 1024, 16 << 20, "receive window the remote host advertises"));
    public static final Setting<Long> REMOTE_RTO_NS = add(Setting.millisAsNanos("remote.rto_ms", 200, 1, 60_000, "retransmission timeout of the remote TCP sender"));

    // the remote TCP: QEMU's user network (libslirp src/tcp_*.c), the TCP Akuma's guest talked to
    public static final Setting<RemoteTcpKind> REMOTE_TCP = add(Setting.choice("remote.tcp", RemoteTcpKind.SLIRP, RemoteTcpKind.class,
            "the remote end's TCP: QEMU's user network (slirp, BSD-derived), the machine's smoltcp model as a sender, "
                    + "or a window-limited sender with immediate ACKs (simple: remote.rto_ms, no congestion control)"));
    public static final Setting<Integer> REMOTE_MSS = add(Setting.integer("remote.mss", 1460, 536, 65_000, "the remote's MSS before the client's offer (slirp: IF_MTU 1500 - 40)"));
    public static final Setting<Integer> REMOTE_SND_BUFFER = add(Setting.integer("remote.snd_buffer", 8192, 1024, 16 << 20,
                "remote send buffer, rounded up to whole segments (slirp TCP_SNDSPACE: 8192 -> 8760; it reads the server only while under half full; smoltcp: its tx buffer)"));
    public static final Setting<Integer> REMOTE_RCV_BUFFER = add(Setting.integer("remote.rcv_buffer", 8192, 1024, 16 << 20,
                "slirp receive buffer, rounded up to whole segments (TCP_RCVSPACE); its window is the smaller of this and remote.window"));
    public static final Setting<Integer> REMOTE_INIT_CWND_SEGMENTS = add(Setting.integer("remote.init_cwnd_segments", 1, 1, 1000, "slirp: initial congestion window in segments (tcp_mss sets snd_cwnd = mss)"));
    public static final Setting<Integer> REMOTE_DUPACK_THRESHOLD = add(Setting.integer("remote.dupack_threshold", 3, 1, 1000, "slirp: duplicate ACKs that trigger fast retransmit (TCPREXMTTHRESH)"));
    public static final Setting<Long> REMOTE_SLOW_TICK_NS = add(Setting.millisAsNanos("remote.slow_tick_ms", 500, 1, 10_000, "slirp: slow timer period; RTO, persist and RTT count these ticks (PR_SLOWHZ 2)"));
    public static final Setting<Long> REMOTE_ACK_DELAY_NS = add(Setting.millisAsNanos("remote.ack_delay_ms", 2, 0, 1000, "slirp: delayed ACK, its fast timer (TIMEOUT_FAST 2 ms)"));
    public static final Setting<Long> REMOTE_RTO_MIN_NS = add(Setting.millisAsNanos("remote.rto_min_ms", 1000, 1, 600_000, "slirp: lowest retransmission timeout (TCPTV_MIN, 2 ticks)"));
    public static final Setting<Long> REMOTE_RTO_MAX_NS = add(Setting.millisAsNanos("remote.rto_max_ms", 12_000, 1, 600_000, "slirp: highest retransmission timeout (TCPTV_REXMTMAX, 24 ticks)"));
    public static final Setting<Long> REMOTE_RTO_INITIAL_NS = add(Setting.millisAsNanos("remote.rto_initial_ms", 6000, 1, 600_000,
                "slirp: retransmission timeout before the first RTT sample (t_rxtcur from TCPTV_SRTTDFLT: 12 ticks)"));
    public static final Setting<Long> REMOTE_PERSIST_MIN_NS = add(Setting.millisAsNanos("remote.persist_min_ms", 2500, 1, 600_000, "slirp: shortest persist (zero-window probe) interval (TCPTV_PERSMIN, 5 ticks)"));
    public static final Setting<Long> REMOTE_PERSIST_MAX_NS = add(Setting.millisAsNanos("remote.persist_max_ms", 30_000, 1, 3_600_000, "slirp: longest persist interval (TCPTV_PERSMAX, 60 ticks)"));
    public static final Setting<Integer> REMOTE_BACKOFF_CAP = add(Setting.integer("remote.backoff_cap", 64, 1, 4096, "slirp: largest factor of the backoff table tcp_backoff[] (1, 2, 4, .. 64, 64)"));

    // interactive sessions (Akuma's SSH)
    public static final Setting<Integer> SESSIONS_COUNT = add(Setting.integer("sessions.count", 0, 0, 4, "interactive sessions, each with its own thread in a system slot (Akuma: up to 4 SSH sessions)"));
    public static final Setting<Long> SESSIONS_KEYSTROKE_INTERVAL_NS = add(Setting.millisAsNanos("sessions.keystroke_interval_ms", 150, 1, 60_000, "mean time between keystrokes of a session (seeded, exponential)"));

    // CPU cost table (estimates for Akuma under QEMU; every kernel action takes simulated CPU)
    public static final Setting<Long> COST_SCHED_PASS_NS = add(Setting.number("cost.sched_pass_ns", 2_000, 0, 10_000_000, "one scheduler pass"));
    public static final Setting<Long> COST_CONTEXT_SWITCH_NS = add(Setting.number("cost.context_switch_ns", 5_000, 0, 10_000_000, "switching threads"));
    public static final Setting<Long> COST_SYSCALL_NS = add(Setting.number("cost.syscall_ns", 2_000, 0, 10_000_000, "syscall entry and exit"));
    public static final Setting<Long> COST_SOCKET_CHECK_NS = add(Setting.number("cost.socket_check_ns", 500, 0, 10_000_000, "one check of a socket in a syscall loop"));
    public static final Setting<Long> COST_COPY_PER_KIB_NS = add(Setting.number("cost.copy_per_kib_ns", 1_000, 0, 10_000_000, "copying 1 KiB between user and socket buffers"));
    public static final Setting<Long> COST_POLL_BASE_NS = add(Setting.number("cost.poll_base_ns", 10_000, 0, 10_000_000, "one network poll with nothing to do"));
    public static final Setting<Long> COST_POLL_FRAME_NS = add(Setting.number("cost.poll_frame_ns", 5_000, 0, 10_000_000, "per frame received or sent in a poll"));
    public static final Setting<Long> COST_IDLE_LOOP_NS = add(Setting.number("cost.idle_loop_ns", 1_000, 0, 10_000_000, "one iteration of the boot thread's idle loop"));
    public static final Setting<Long> COST_ECHO_NS = add(Setting.number("cost.echo_ns", 50_000, 0, 10_000_000, "an interactive session handling a keystroke (decrypt, echo, encrypt)"));

    // file system and memory (Akuma src/vfs/ext2.rs, src/block.rs, src/syscall.rs; issue 14, docs/MODEL.md "File system")
    public static final Setting<Boolean> FS_WRITE_WHOLE_FILE = add(Setting.flag("fs.write", "whole-file", "whole-file", List.of("whole-file", "write-at"),
                "write(): read the whole file and rewrite every block (the seed, src/syscall.rs:484-499) or write only the touched blocks (write_at, a3b9e271)"));
    public static final Setting<Boolean> FS_READ_WHOLE_FILE = add(Setting.flag("fs.read", "whole-file", "whole-file", List.of("whole-file", "read-at"),
                "read(): read the whole file per call (the seed, src/syscall.rs:353-374) or only the blocks asked for, at most 64 KiB (read_at, 9df5b7c4)"));
    public static final Setting<Boolean> FS_OPENAT_EXISTS_CHECK = add(Setting.flag("fs.openat", "exists-check", "exists-check", List.of("exists-check", "trunc-only"),
                "openat(): a lookup, ENOENT or create, then O_TRUNC (the seed, src/syscall.rs:1220-1264) or only O_TRUNC's write_file and no lookup (from 386a112f)"));
    public static final Setting<Integer> FS_BLOCK_SIZE = add(Setting.integerChoice("fs.block_size", "1024", List.of("1024", "2048", "4096"),
                "ext2 block size (mkfs.ext2 on Akuma's 128 MB image: 1024 = 2 sectors)"));
    public static final Setting<Long> FS_DISK_BYTES = add(Setting.mibAsBytes("fs.disk_mb", 128, 1, 4096, "disk size; mkfs.ext2 layout, ENOSPC when full (scripts/create_disk.sh: 128)"));
    public static final Setting<Integer> FS_INODE_SIZE = add(Setting.integerChoice("fs.inode_size", "256", List.of("128", "256"), "mkfs.ext2 inode size (e2fsprogs >= 1.46: 256); sets the inode table, so group 0's used blocks"));
    public static final Setting<Integer> FS_INODE_RATIO = add(Setting.integer("fs.inode_ratio", 4096, 1024, 65_536, "mkfs.ext2 bytes per inode ('small' file systems: 4096)"));
    public static final Setting<Long> FS_MAX_FILE_BYTES = add(Setting.number("fs.max_file_bytes", 64 << 20, 1, 1L << 32,
                "largest file (EFBIG beyond; capped at Akuma's double-indirect reach, 64.3 MiB at 1 KiB blocks)"));
    public static final Setting<Integer> FS_MAX_OPEN_FILES = add(Setting.integer("fs.max_open_files", 64, 1, 1024, "open files per user thread before EMFILE (sockets count against socket.max_per_process)"));
    public static final Setting<Integer> FS_MAX_READ_BYTES = add(Setting.integer("fs.max_read_bytes", 1 << 20, 1, 16 << 20, "read(): most bytes returned per call (the seed has no cap; read_at copies at most 64 KiB)"));
    public static final Setting<Integer> FS_MAX_WRITE_BYTES = add(Setting.integer("fs.max_write_bytes", 1 << 20, 1, 16 << 20, "write(): largest payload accepted per call (EINVAL above)"));
    public static final Setting<Long> FS_MAX_STEP_NS = add(Setting.microsAsNanos("fs.max_step_us", 1_000, 10, 100_000,
                "harness: file-system work runs in kernel steps of at most this long, so the timer can preempt it between them (Akuma's FS locks leave IRQs on)"));
    public static final Setting<Long> COST_SECTOR_NS = add(Setting.number("cost.sector_ns", 15_000, 0, 10_000_000,
                "one synchronous 512-byte virtio-blk request, busy-waited, under QEMU TCG (estimate; range 5-100 us; calibrate on C5)"));
    public static final Setting<Long> COST_BITMAP_BIT_NS = add(Setting.number("cost.bitmap_bit_ns", 20, 0, 100_000, "one bit of allocate_block's linear bitmap scan from bit 0 (estimate; range 5-50 ns)"));
    public static final Setting<Long> COST_UART_BYTE_NS = add(Setting.number("cost.uart_byte_ns", 3_000, 0, 1_000_000,
                "one byte written to the PL011 UART by MMIO under QEMU, each store exiting to the device model and the host's stdio (console fds 1, 2; estimate; range 1-10 us, as the client's print_byte)"));
    public static final Setting<Long> COST_PAGE_ZERO_NS = add(Setting.number("cost.page_zero_ns", 1_600, 0, 1_000_000,
                "mmap: allocating, zero-filling and mapping one 4 KiB page under QEMU TCG (estimate: 150 ns native x TCG factor 10.67; range 0.85-4.3 us, as the client's alloc_page)"));
    public static final Setting<Boolean> MM_MUNMAP_FREE = add(Setting.flag("mm.munmap", "free", "noop", List.of("noop", "free"), "munmap: a no-op (the seed, src/syscall.rs:243-258) or frees the pages (9528e2a7)"));
    public static final Setting<Long> MM_MAX_MAPPED_BYTES = add(Setting.mibAsBytes("mm.max_mapped_mb", 128, 1, 4096, "user memory mmap can hand out before ENOMEM (Akuma's machine has 128 MB of RAM)"));

    // calibration (issue 13): the timer's drift, preemption-off windows, the other threads, QEMU TCG costs
    public static final Setting<Boolean> TIMER_REARM_RELATIVE = add(Setting.flag("timer.rearm", "relative", "relative", List.of("relative", "absolute"),
                "relative: the handler re-arms at its own counter read + the tick, so each period is the tick plus the IRQ "
                        + "latency and any IRQ-masked window, and late ticks are never made up (Akuma src/timer.rs:56-64); "
                        + "absolute: an exact grid of ticks"));
    public static final Setting<Long> TIMER_IRQ_LATENCY_NS = add(Setting.microsAsNanos("timer.irq_latency_us", 2_505, 0, 100_000,
                "compare match to the timer handler's counter read under QEMU TCG on macOS (fitted on C1: hello's 900 "
                        + "10 ms sleeps took 11257 ms)"));
    public static final Setting<Long> COST_IRQ_ENTRY_NS = add(Setting.number("cost.irq_entry_ns", 2_668, 0, 10_000_000,
                "one interrupt entry and exit with the GIC acknowledge and EOI; a tick is two (timer IRQ, then the SGI), a yield one"));
    public static final Setting<Boolean> SCHED_PREEMPT_WINDOWS = add(Setting.flag("sched.preempt_windows", "on", "on", List.of("on", "off"),
                "on: a tick in a preemption-off window (or while cooperative thread 0 is within its timeout) is lost, and a "
                        + "tick in an IRQ-off window waits for its end (Akuma src/threading.rs:1380-1398, 348-356); off: every tick runs a pass"));
    public static final Setting<Long> SCHED_COOPERATIVE_TIMEOUT_NS = add(Setting.millisAsNanos("sched.cooperative_timeout_ms", 100, 0, 10_000,
                "thread 0 is cooperative: ticks do not preempt it for this long after it got the core (0: preemptible)"));
    public static final Setting<Boolean> THREADS_HERD = add(Setting.flag("threads.herd", "on", "on", List.of("on", "off"),
                "herd, auto-started in the first user slot: one loop, then a 100 ms sleep (Akuma src/config.rs:251)"));
    public static final Setting<Boolean> THREADS_IDLE_CLEANUP = add(Setting.flag("threads.idle_cleanup", "on", "on", List.of("on", "off"),
                "thread 0's idle loop runs cleanup_terminated every 10th iteration (from 9e64f686; off before)"));
    public static final Setting<Long> HERD_SLEEP_NS = add(Setting.millisAsNanos("herd.sleep_ms", 100, 1, 60_000, "herd's sleep per loop"));
    public static final Setting<Boolean> THREADS_SSH_ACCEPT = add(Setting.flag("threads.ssh_accept", "on", "on", List.of("on", "off"),
                "the SSH accept loop polled in the network thread: its accept times out after 100 ms with no sessions, "
                        + "10 ms otherwise, and the listen socket is then aborted and recreated (src/ssh/server.rs:341-448)"));
    public static final Setting<Boolean> SESSIONS_KEYSTROKES = add(Setting.flag("sessions.keystrokes", "on", "on", List.of("on", "off"),
                "whether session users type (off: the session threads only poll, as while a command runs)"));
    public static final Setting<Integer> SESSIONS_OUTPUT_YIELDS = add(Setting.integer("sessions.output_yields", 20, 0, 1_000,
                "yields a session makes, preemption still off, after it wrote output (src/shell/mod.rs:541-547)"));
    public static final Setting<Boolean> SYSCALL_RECV_GIVEUP_ETIMEDOUT = add(Setting.flag("syscall.recv_giveup", "etimedout", "eagain", List.of("eagain", "etimedout"),
                "what recvfrom returns after syscall.eagain_iterations empty polls (Akuma: EAGAIN from 7b52ac2; ETIMEDOUT before, "
                        + "src/syscall.rs:1023-1026 @8addd902)"));
    public static final Setting<Boolean> SYSCALL_RECV_WAIT_WAKER = add(Setting.flag("syscall.recv_wait", "waker", "yield", List.of("yield", "waker"),
                "recvfrom with no data: yield and poll again (to 8316ebe), or register a per-thread waker and block in "
                        + "schedule_blocking (WFI until a tick) with a 1 s deadline, made READY when the network thread's poll "
                        + "brings its socket data (8316ebe: src/syscall.rs:1112, src/threading.rs:2022-2130)"));
    public static final Setting<Integer> SYSCALL_SENDTO_FLUSH_POLLS = add(Setting.integer("syscall.sendto_flush_polls", 100, 0, 10_000,
                "sendto: flush polls after the last chunk, in one IRQ-off window, then one switch (src/syscall.rs:887-911)"));
    public static final Setting<Long> COST_YIELD_SPIN_NS = add(Setting.number("cost.yield_spin_ns", 534, 0, 10_000_000, "the 100-iteration spin after a yield in syscall and block_on loops"));
    public static final Setting<Long> COST_FLUSH_POLL_NS = add(Setting.number("cost.flush_poll_ns", 2_134, 0, 10_000_000, "one flush poll of a socket (sendto's 100)"));
    public static final Setting<Long> COST_SESSION_POLL_NS = add(Setting.number("cost.session_poll_ns", 8_536, 0, 10_000_000,
                "an SSH session's block_on poll with nothing to do (drain the process channel, 10 ms read timeout, YieldOnce)"));
    public static final Setting<Long> COST_IDLE_CLEANUP_NS = add(Setting.number("cost.idle_cleanup_ns", 3_201, 0, 10_000_000, "thread 0's cleanup_terminated, every 10th idle iteration"));
    public static final Setting<Long> COST_HERD_LOOP_NS = add(Setting.number("cost.herd_loop_ns", 53_350, 0, 100_000_000, "one herd loop (service checks, its syscalls)"));
    public static final Setting<Long> COST_SSH_ACCEPT_RECREATE_NS = add(Setting.number("cost.ssh_accept_recreate_ns", 32_010, 0, 100_000_000,
                "the accept timeout's abort and re-creation of the listen socket"));

    // harness: how the engine meets the real world (not part of the model)
    public static final Setting<Integer> UPSTREAM_BUFFER_BYTES = add(Setting.integer("upstream.buffer_bytes", 1 << 20, 4096, 64 << 20, "real upstream bytes read ahead per connection"));
    public static final Setting<Boolean> UPSTREAM_SYNC_MARKS = add(Setting.flag("upstream.sync", "marks", "marks", List.of("marks", "quiet"),
                "virtual clock: how the gate knows a real upstream has answered: marks (the upstream's own account of "
                        + "the bytes it wrote before waiting for input, where the allow-list names its mark feed; quiet "
                        + "windows for the others) or quiet (quiet windows everywhere, for comparison)"));
    public static final Setting<Long> UPSTREAM_MARK_TIMEOUT_NS = add(Setting.millisAsNanos("upstream.mark_timeout_ms", 30_000, 1, 600_000,
                "virtual clock, marks: hold simulated time at most this long for a mark (a safety net: past it the gate "
                        + "decides as quiet windows do, counted in upstream_quiet_decisions)"));
    public static final Setting<Long> UPSTREAM_QUIET_NS = add(Setting.millisAsNanos("upstream.quiet_ms", 100, 1, 60_000,
                "virtual clock, upstreams without marks: after upstream bytes, hold simulated time until the upstream is "
                        + "quiet this long"));
    public static final Setting<Long> UPSTREAM_FIRST_BYTE_TIMEOUT_NS = add(Setting.millisAsNanos("upstream.first_byte_timeout_ms", 2_000, 1, 600_000,
                "virtual clock: after the client's request reached the server, hold simulated time this long for "
                        + "the first byte of the answer"));
    public static final Setting<Long> WATCHDOG_USERSPACE_NS = add(Setting.millisAsNanos("watchdog.userspace_ms", 30_000, 100, 3_600_000,
                "virtual clock: a user thread that stays in userspace this long (real time) is killed"));
    public static final Setting<Long> MACHINE_STOP_AT_NS = add(Setting.millisAsNanos("machine.stop_at_ms", 0, 0, 1_000_000_000,
                "simulated time stops here (0: never): the machine holds, as if quiescent, once its next event is later (the core's current steps run on, at most one tick), and "
                        + "reports state 'held'; a run cut off at this bound ends at the same simulated time every time"));
    public static final Setting<Integer> MACHINE_START_AFTER_THREADS = add(Setting.integer("machine.start_after_threads", 0, 0, 32,
                "simulated time stands still until this many user threads have attached (0: it starts with the first); "
                        + "several concurrent downloads then start together, so a run repeats exactly"));
    public static final Setting<Long> MACHINE_MAX_SIMULATED_NS = add(Setting.secondsAsNanos("machine.max_simulated_s", 172_800, 1, 31_536_000,
                "the most simulated time a machine may reach (not part of the model, a bound so no machine runs for ever): "
                        + "its user threads are then killed and it takes no new ones (FAILED_PRECONDITION); delete it"));
    public static final Setting<Boolean> ENGINE_FAST_FORWARD = add(Setting.flag("engine.fast_forward", "on", "on", List.of("on", "off"),
                "virtual clock: cross idle stretches (threads that only poll and yield, a halted core between ticks) in one "
                        + "step with exact counters and trace (docs/MODEL.md \"Fast-forward\"); off simulates every pass; the "
                        + "outputs are identical either way, only the ff_* counters differ"));
    public static final Setting<Long> WATCHDOG_SYSCALL_WALL_NS = add(Setting.millisAsNanos("watchdog.syscall_wall_ms", 10_000, 100, 3_600_000,
                "virtual clock: a user thread whose one syscall (with the userspace before it) keeps the engine busy "
                        + "this long in real time is killed (a single request cannot pin a core)"));


    private Settings() {
    }

    private static <T> Setting<T> add(Setting<T> setting) {
        if (setting.index() != TYPED.size() || DEFS.containsKey(setting.name())) {
            throw new IllegalStateException("setting '" + setting.name() + "' declared twice or out of order");
        }
        DEFS.put(setting.name(), setting.def());
        TYPED.add(setting);
        return setting;
    }

    /** The settings, in definition (wire) order; a setting's index is its position here. */
    static List<Setting<?>> typed() {
        return Collections.unmodifiableList(TYPED);
    }

    public static Map<String, SettingDef> definitions() {
        return Collections.unmodifiableMap(DEFS);
    }

    /** The default values, in definition order. */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        DEFS.values().forEach(d -> m.put(d.name(), d.defaultValue()));
        return m;
    }

    /**
     * Applies overrides on top of base values, validating each.
     *
     * @throws IllegalArgumentException naming the unknown or bad setting
     */
    public static Map<String, String> apply(Map<String, String> base, Map<String, String> overrides) {
        Map<String, String> result = new LinkedHashMap<>(base);
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            SettingDef def = DEFS.get(e.getKey());
            if (def == null) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "'; known settings: " + DEFS.keySet());
            }
            result.put(def.name(), def.validate(e.getValue()));
        }
        return result;
    }
}
