package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.runtime.UpstreamGate;
import com.google.protobuf.ByteString;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Close;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.syscall.ReplySink;
import io.testbed.kernel.sim.runtime.MemoryUpstreamConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle fast-forward is exact: the same scenario with {@code engine.fast_forward} on and off gives the
 * same counters (every one but the ff_* figures), the same per-thread figures and time split, the same
 * trace hash, the same pass and tick observations and the same listener totals, while on crosses most
 * passes in jumps. Machines are driven from the test thread (no engine thread, an in-memory upstream), so
 * each run is exactly repeatable.
 */
class FastForwardTest {

    /** A scenario: profile, overrides, and what the client does. */
    record Scenario(String name, String profile, Map<String, String> overrides, long bytes, long sleepNs, long userCpuNs,
                    long longSleepNs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("seed's commit, 256 KiB, sleep 10 ms", "akuma-7b52ac2", Map.of(), 256 << 10, 10_000_000, 30_000, 0),
                new Scenario("seed's commit, long sleeping client (60 s) then 64 KiB", "akuma-7b52ac2", Map.of(), 64 << 10,
                        10_000_000, 0, 60_000_000_000L),
                new Scenario("8316ebe, 256 KiB, sleep 1 ms", "akuma-8316ebe", Map.of(), 256 << 10, 1_000_000, 30_000, 0),
                new Scenario("92639fb0, 256 KiB, sleep 1 ms", "akuma-92639fb0", Map.of(), 256 << 10, 1_000_000, 0, 0),
                new Scenario("seed's commit with 2 interactive sessions", "akuma-7b52ac2",
                        Map.of("sessions.count", "2"), 128 << 10, 10_000_000, 10_000, 0),
                new Scenario("hires sleep", "akuma-7b52ac2", Map.of("sleep.model", "hires"), 128 << 10, 3_000_000, 0, 0),
                new Scenario("tick-rounded sleep", "akuma-7b52ac2", Map.of("sleep.model", "tick-rounded"), 128 << 10, 3_000_000, 0, 0),
                new Scenario("round robin, absolute timer", "akuma-ca9339d", Map.of("timer.rearm", "absolute"), 128 << 10,
                        10_000_000, 0, 5_000_000_000L),
                new Scenario("seed-doc (network thread in slot 0), jitter", "seed-doc", Map.of("link.jitter_us", "300"), 128 << 10,
                        10_000_000, 0, 0),
                new Scenario("8addd902: recvfrom's 100,000-iteration would-block loop", "akuma-8addd902",
                        Map.of("syscall.recv_giveup", "eagain", "link.latency_us", "200000"), 64 << 10, 10_000_000, 0, 0),
                new Scenario("seed's commit, 500 EAGAIN iterations, 50 ms link", "akuma-2026-02-09", Map.of("link.latency_us", "50000"),
                        64 << 10, 10_000_000, 0, 0));
    }

    @AfterEach
    void noSkew() {
        FastForward.skewForTest = 0;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @DisplayName("fast-forward on and off: identical counters, threads, trace hash, observations and listener totals")
    void onEqualsOff(Scenario s) {
        Outcome off = run(s, false);
        Outcome on = run(s, true);
        assertThat(off.counters.get("ff_jumps")).isZero();
        assertThat(on.counters.get("ff_skipped_passes")).as("the fast-forward crossed passes").isPositive();
        assertSame(on, off);
        System.out.printf("%s: %d passes, %d events, trace hash %d; fast-forward crossed %d passes in %d jumps (%d cycles), %.1f of %.1f s%n",
                s, off.counters.get("passes"), off.counters.get("events"), off.counters.get("trace_hash"), on.counters.get("ff_skipped_passes"),
                on.counters.get("ff_jumps"), on.counters.get("ff_cycles"), on.counters.get("ff_skipped_ns") / 1e9,
                on.stats.getNowNs() / 1e9);
    }

    @Test
    @DisplayName("a jump one period too long is caught: the comparison is able to fail")
    void skewedJumpIsDetected() {
        Scenario s = scenarios().findFirst().orElseThrow();
        Outcome off = run(s, false);
        FastForward.skewForTest = 1;
        Outcome on = run(s, true);
        assertThat(on.counters.get("ff_jumps")).isPositive();
        Map<String, Long> a = comparable(on.counters);
        Map<String, Long> b = comparable(off.counters);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.get("trace_hash")).isNotEqualTo(b.get("trace_hash"));
    }

    @Test
    @DisplayName("issue 16: a long nanosleep crosses the ping-pong between ticks exactly; an hour's one is answered in seconds")
    void longSleeps() {
        Scenario two = new Scenario("a 120 s nanosleep", "akuma-7b52ac2", Map.of(), 16 << 10, 10_000_000, 0, 120_000_000_000L);
        long t0 = System.nanoTime();
        Outcome off = run(two, false);
        double offWall = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Outcome on = run(two, true);
        double onWall = (System.nanoTime() - t0) / 1e9;
        assertSame(on, off);
        assertThat(on.counters.get("ff_skipped_passes")).isGreaterThan(off.counters.get("passes") * 9 / 10);
        Scenario hour = new Scenario("an hour's nanosleep", "akuma-7b52ac2", Map.of(), 16 << 10, 10_000_000, 0, Long.getLong("ff.hourNs", 3_600_000_000_000L));
        t0 = System.nanoTime();
        Outcome long1 = run(hour, true, false); // as the service runs: no pass observer
        double hourWall = (System.nanoTime() - t0) / 1e9;
        assertThat(long1.stats.getNowNs()).isGreaterThan(3_600_000_000_000L);
        assertThat(long1.replies.get(2)).as("the sleep returned 0 after an hour").matches("3:0:0:\\d+:\\d+");
        System.out.printf("a 120 s nanosleep: %.2f s of wall time without the fast-forward, %.2f s with (%d passes, %d crossed "
                        + "in %d jumps); an hour's: %.2f s with it (%d passes, %d crossed)%n", offWall, onWall,
                off.counters.get("passes"), on.counters.get("ff_skipped_passes"), on.counters.get("ff_jumps"), hourWall,
                long1.counters.get("passes"), long1.counters.get("ff_skipped_passes"));
    }

    private static void assertSame(Outcome on, Outcome off) {
        assertThat(comparable(on.counters)).isEqualTo(comparable(off.counters));
        assertThat(on.stats.getNowNs()).isEqualTo(off.stats.getNowNs());
        assertThat(on.stats.getThreadsList()).isEqualTo(off.stats.getThreadsList());
        assertThat(on.passes).isEqualTo(off.passes);
        assertThat(on.passHash).isEqualTo(off.passHash);
        assertThat(on.ticks).isEqualTo(off.ticks);
        assertThat(on.listener).isEqualTo(off.listener);
        assertThat(on.replies).isEqualTo(off.replies);
    }

    private static Map<String, Long> comparable(Map<String, Long> counters) {
        Map<String, Long> m = new TreeMap<>(counters);
        m.keySet().removeIf(k -> k.startsWith("ff_"));
        return m;
    }

    /** What a run gave. */
    record Outcome(MachineStats stats, Map<String, Long> counters, long passes, long passHash, List<Long> ticks,
                   Map<String, Long> listener, List<String> replies) {
    }

    static Outcome run(Scenario s, boolean fastForward) {
        return run(s, fastForward, true);
    }

    /** @param observe whether to observe every pass (the observer's calls are replayed one by one) */
    static Outcome run(Scenario s, boolean fastForward, boolean observe) {
        Map<String, String> o = new LinkedHashMap<>(s.overrides);
        o.put("engine.fast_forward", fastForward ? "on" : "off");
        MachineSettings settings = Profiles.resolve(s.profile, o);
        ArrayDeque<Runnable> inbox = new ArrayDeque<>();
        long[] wall = {0};
        Totals totals = new Totals();
        MachineModel model = new MachineModel(settings, true, 7, UpstreamGate.peers(settings, () -> wall[0] += 1_000_000_000L, true,
                new MemoryUpstreamConnector(Set.of("bulk.test:80"), inbox::add, settings.getInt(Settings.UPSTREAM_BUFFER_BYTES))), totals);
        long[] pass = {0, 17};
        model.observePasses(!observe ? null : (t, to) -> {
            pass[0]++;
            pass[1] = pass[1] * 31 + t * 7 + to.tid;
        });
        List<Long> ticks = new ArrayList<>();
        model.cpu().observeTicks(t -> {
            if (ticks.size() < 100_000) {
                ticks.add(t);
            }
        });
        Client client = new Client(s);
        client.tid = model.attach("client", client);
        long guard = 0;
        while (!client.done) {
            Runnable r;
            while ((r = inbox.poll()) != null) {
                r.run();
            }
            if (model.cpu().waitingForClient() != null && client.pending != null) {
                SyscallRequest next = client.pending;
                client.pending = null;
                assertThat(model.deliver(client.tid, client, next)).isNull();
                continue;
            }
            model.holdUntil(wall[0]);
            assertThat(model.events().fireNext()).as("an event is due").isTrue();
            assertThat(++guard).isLessThan(50_000_000L);
        }
        // run on a little with the client gone (idle machine, network closing)
        long end = model.events().now() + 2_000_000_000L;
        while (model.events().peekTime() < end) {
            Runnable r;
            while ((r = inbox.poll()) != null) {
                r.run();
            }
            model.events().fireNext();
        }
        assertThat(client.received).isEqualTo(s.bytes);
        MachineStats stats = model.stats("ff");
        return new Outcome(stats, stats.getCountersMap(), pass[0], pass[1], ticks, totals.snapshot(), client.replies);
    }

    /** Every listener call, summed by kind and arguments. */
    static final class Totals implements KernelListener {
        private final Map<String, Long> m = new TreeMap<>();

        private void add(String k, long v) {
            m.merge(k, v, Long::sum);
        }

        Map<String, Long> snapshot() {
            return new TreeMap<>(m);
        }

        @Override
        public void pass(String reason, String kind) {
            add("pass." + reason + "." + kind, 1);
        }

        @Override
        public void contextSwitch() {
            add("switch", 1);
        }

        // the bulk variants the fast-forward calls: the same totals as the single calls
        @Override
        public void passes(String reason, String kind, long n) {
            add("pass." + reason + "." + kind, n);
        }

        @Override
        public void contextSwitches(long n) {
            add("switch", n);
        }

        @Override
        public void boosts(String reason, long n) {
            add("boost." + reason, n);
        }

        @Override
        public void networkPolls(long n) {
            add("poll", n);
        }

        @Override
        public void boost(String reason) {
            add("boost." + reason, 1);
        }

        @Override
        public void cpuTime(String kind, long ns) {
            add("cpu." + kind, ns);
        }

        @Override
        public void networkPoll() {
            add("poll", 1);
        }

        @Override
        public void syscall(String name, int errno) {
            add("syscall." + name + "." + errno, 1);
        }
    }

    /** socket, connect, send "<bytes>\n", [one long nanosleep], read to EOF (sleeping on EAGAIN), close, exit. */
    static final class Client implements ReplySink {
        final Scenario s;
        int tid;
        int fd;
        int state;
        long received;
        boolean done;
        long seq;
        SyscallRequest pending;
        final List<String> replies = new ArrayList<>();

        Client(Scenario s) {
            this.s = s;
            this.pending = request(SyscallRequest.newBuilder().setSocket(
                    Socket.newBuilder().setDomain(Errno.AF_INET).setType(Errno.SOCK_STREAM)));
        }

        private SyscallRequest request(SyscallRequest.Builder b) {
            return b.setSeq(++seq).setUserCpuNs(s.userCpuNs).build();
        }

        private SyscallRequest recv() {
            return request(SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(4096)));
        }

        private SyscallRequest sleep(long ns) {
            return request(SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(ns)));
        }

        @Override
        public void reply(SyscallReply r) {
            if (replies.size() < 20_000) {
                replies.add(r.getSeq() + ":" + r.getRet() + ":" + r.getErrno() + ":" + r.getEntryTimeNs() + ":" + r.getExitTimeNs());
            }
            switch (state) {
                case 0 -> {
                    fd = (int) r.getRet();
                    state = 1;
                    pending = request(SyscallRequest.newBuilder().setConnect(
                            Connect.newBuilder().setFd(fd).setHost("bulk.test").setPort(80)));
                }
                case 1 -> {
                    state = s.longSleepNs > 0 ? 7 : 2;
                    pending = s.longSleepNs > 0 ? sleep(s.longSleepNs) : send();
                }
                case 7 -> {
                    assertThat(r.getRet()).as("the long sleep is answered").isZero();
                    state = 2;
                    pending = send();
                }
                case 2 -> {
                    state = 3;
                    pending = recv();
                }
                case 3 -> {
                    if (r.getRet() < 0) {
                        assertThat(r.getErrno()).isEqualTo(Errno.EAGAIN);
                        state = 4;
                        pending = sleep(s.sleepNs);
                    } else if (r.getRet() == 0) {
                        state = 5;
                        pending = request(SyscallRequest.newBuilder().setClose(Close.newBuilder().setFd(fd)));
                    } else {
                        received += r.getRet();
                        pending = recv();
                    }
                }
                case 4 -> {
                    state = 3;
                    pending = recv();
                }
                case 5 -> {
                    state = 6;
                    pending = request(SyscallRequest.newBuilder().setExit(Exit.newBuilder()));
                }
                default -> done = true;
            }
        }

        private SyscallRequest send() {
            byte[] req = (s.bytes + "\n").getBytes(StandardCharsets.US_ASCII);
            return request(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd).setData(ByteString.copyFrom(req))));
        }

        @Override
        public void ended(String reason) {
            done = true;
        }
    }
}
