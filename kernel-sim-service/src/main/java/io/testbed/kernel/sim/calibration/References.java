package io.testbed.kernel.sim.calibration;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.ClockGettime;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Akuma's measurements and the syscall programs that replay them. C1-C3 are issue 13's; issue 14's
 * download references (C4, C5) are added to {@link #all()} the same way: a {@link Reference} whose
 * program drives a {@link SyscallDriver} (built from the reference's profile, conditions and the
 * parameters under test, with an in-memory remote host from {@link Connectors}) and returns its figure;
 * a range reference (C4: 1 to 30 minutes) uses the record's constructor with {@code low}/{@code high}.
 * The report, the sensitivity table and CalibrationTest pick every entry up.
 */
public final class References {
    private static final long MS = 1_000_000L;
    /** Conditions shared by runs started from Akuma's SSH shell: one session thread polling, nobody typing. */
    private static final Map<String, String> FROM_SSH = Map.of("sessions.count", "1", "sessions.keystrokes", "off");

    private References() {
    }

    /** Every reference, in order. */
    public static List<Reference> all() {
        List<Reference> refs = new ArrayList<>();
        refs.add(c1());
        refs.add(c2());
        refs.add(c3());
        return refs;
    }

    /** C1: hello, 9 x sleep_ms(1000) in nanosleep(10 ms) chunks: 11257 ms. */
    public static Reference c1() {
        return Reference.point("C1", "hello: 9 x sleep_ms(1000) as 900 nanosleep(10 ms), uptime start to end",
                "docs/SCHEDULING_TIMING_ISSUES.md @ca9339d (2026-01-17), Issue 3: 'hello: uptime=11257ms'",
                "akuma-ca9339d", FROM_SSH,
                "clock_gettime; 10 x { clock_gettime; unless last: 100 x nanosleep(10 ms) }; clock_gettime "
                        + "(userspace/hello @ca9339d, libakuma sleep_ms in 10 ms chunks)",
                11_257, "ms", "timer.irq_latency_us", 0.15, m -> hello(m.create(Connectors.NONE), 100, 10 * MS));
    }

    /** C2: the same hello with one nanosleep(1 s) per sleep_ms: 9001 ms. */
    public static Reference c2() {
        return Reference.point("C2", "hello: 9 x sleep_ms(1000) as 9 nanosleep(1 s)",
                "docs/STACK_CORRUPTION_ANALYSIS.md @9e64f686 (2026-01-18): 'hello: uptime=9001ms' after ed04578b",
                "akuma-ca9339d", merge(FROM_SSH, Map.of("threads.idle_cleanup", "on")),
                "as C1 with one nanosleep(1 s) per sleep_ms (libakuma @ed04578b); thread 0's cleanup every 10th "
                        + "iteration exists by 9e64f686",
                9_001, "ms", "", 0.15, m -> hello(m.create(Connectors.NONE), 1, 1_000 * MS));
    }

    /** C3: one recvfrom of 100,000 empty polls (yield, spin 100 each): ~6.27 s, 62.7 µs per iteration. */
    public static Reference c3() {
        return Reference.point("C3", "recvfrom on a connected socket with no data: 100,000 iterations of one read poll, "
                        + "yield, spin 100; per iteration",
                "docs/MEOW_OLLAMA_TIMEOUT_FIX.md @8addd902 (2026-01-30): ETIMEDOUT after 100,000 iterations, "
                        + "Ollama saw the client close after 6.270837667 s",
                "akuma-8addd902", FROM_SSH,
                "socket; connect(ollama.test:11434); sendto(512 B request); recvfrom(4096) which polls 100,000 times "
                        + "(the server is silent) and returns ETIMEDOUT -> time of the recvfrom / 100,000",
                62.7, "us", "tcg factor (all cost.*)", 0.15, m -> recvLoop(m.create(Connectors.silent())));
    }

    static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** hello: ms from its first to its last clock read, with {@code chunks} nanosleeps of {@code ns} per sleep_ms. */
    static double hello(SyscallDriver d, int chunks, long ns) {
        long start = clock(d);
        for (int i = 0; i < 10; i++) {
            clock(d);
            if (i + 1 < 10) {
                for (int c = 0; c < chunks; c++) {
                    ok(d.call(SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(ns))), "nanosleep");
                }
            }
        }
        return (clock(d) - start) / 1e6;
    }

    /** The recv loop: µs per iteration of one recvfrom that polls until it gives up. */
    static double recvLoop(SyscallDriver d) {
        int fd = connect(d, "ollama.test", 11434);
        ok(d.call(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd)
                .setData(ByteString.copyFrom(new byte[512])))), "sendto");
        SyscallReply r = d.call(SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(4096)));
        if (r.getErrno() != Errno.ETIMEDOUT) {
            throw new IllegalStateException("the recv loop should give up with no data, got ret " + r.getRet()
                    + " errno " + r.getErrno());
        }
        int iterations = d.model().settings().getInt(Settings.SYSCALL_EAGAIN_ITERATIONS);
        return (r.getExitTimeNs() - r.getEntryTimeNs()) / 1e3 / iterations;
    }

    static int connect(SyscallDriver d, String host, int port) {
        SyscallReply s = ok(d.call(SyscallRequest.newBuilder().setSocket(Socket.newBuilder()
                .setDomain(Errno.AF_INET).setType(Errno.SOCK_STREAM))), "socket");
        int fd = (int) s.getRet();
        ok(d.call(SyscallRequest.newBuilder().setConnect(Connect.newBuilder().setFd(fd).setHost(host).setPort(port))),
                "connect");
        return fd;
    }

    static long clock(SyscallDriver d) {
        return ok(d.call(SyscallRequest.newBuilder().setClockGettime(ClockGettime.newBuilder()
                .setClockId(Errno.CLOCK_MONOTONIC))), "clock_gettime").getRet();
    }

    static SyscallReply ok(SyscallReply r, String call) {
        if (r.getRet() < 0) {
            throw new IllegalStateException(call + " failed: errno " + r.getErrno());
        }
        return r;
    }
}
