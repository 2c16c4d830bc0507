package io.testbed.kernel.sim.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.sim.machine.KernelListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The kernel's metrics, summed over all machines (machine ids are not tags: they are unbounded).
 * Engine threads report through {@link KernelListener}; every tag takes values from a bounded set
 * (syscall names, errno names, thread kinds, pass reasons, boost reasons). Lookups allocate nothing once
 * a counter exists; the per-pass counts arrive in bulk (a machine adds them up between syscalls), so a
 * counter is bumped per syscall, not per pass.
 */
public class KernelMetrics implements MeterBinder, KernelListener {
    private final Supplier<Integer> machineCount;
    private volatile MeterRegistry registry;
    private final Map<String, Map<String, Counter>> syscalls = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> passes = new ConcurrentHashMap<>();
    private final Map<String, Counter> boosts = new ConcurrentHashMap<>();
    private final Map<String, Counter> cpu = new ConcurrentHashMap<>();
    private final Map<String, Counter> killed = new ConcurrentHashMap<>();
    private final Map<String, Counter> retransmits = new ConcurrentHashMap<>();
    private Counter contextSwitches;
    private Counter polls;
    private Counter virtualTime;
    private Timer echo;
    private DistributionSummary window;
    private DistributionSummary occupancy;
    private final AtomicLong virtualNs = new AtomicLong();
    private long lastWall = System.nanoTime();
    private long lastVirtual;

    public KernelMetrics(Supplier<Integer> machineCount) {
        this.machineCount = machineCount;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("kernel.machines", () -> machineCount.get())
                .description("Simulated machines running").baseUnit("machines").register(r);
        contextSwitches = Counter.builder("kernel.context.switches").description("Context switches on the simulated cores")
                .baseUnit("switches").register(r);
        polls = Counter.builder("kernel.network.polls").description("Network stack polls (network thread, syscalls or interrupt)")
                .baseUnit("polls").register(r);
        virtualTime = Counter.builder("kernel.virtual.time").description("Simulated time advanced, all machines")
                .baseUnit("seconds").register(r);
        Gauge.builder("kernel.virtual.speed", this::speed)
                .description("Simulated seconds per wall second since the previous scrape, all machines").baseUnit("ratio").register(r);
        echo = Timer.builder("kernel.echo.latency")
                .description("Interactive session echo latency: keystroke at the NIC to echo on the wire")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        window = DistributionSummary.builder("kernel.tcp.window.advertised")
                .description("Receive window advertised by the machine's sockets").baseUnit("bytes").register(r);
        occupancy = DistributionSummary.builder("kernel.socket.rx.occupancy")
                .description("Bytes in a socket's receive buffer after a poll brought it data").baseUnit("bytes").register(r);
        registry = r;
    }

    private synchronized double speed() {
        long wall = System.nanoTime();
        long v = virtualNs.get();
        double s = wall == lastWall ? 0 : (v - lastVirtual) / (double) (wall - lastWall);
        lastWall = wall;
        lastVirtual = v;
        return s;
    }

    private static Counter cached(Map<String, Counter> map, String key, java.util.function.Function<String, Counter> make) {
        Counter c = map.get(key);
        return c != null ? c : map.computeIfAbsent(key, make);
    }

    private static Map<String, Counter> inner(Map<String, Map<String, Counter>> map, String key) {
        Map<String, Counter> m = map.get(key);
        return m != null ? m : map.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    }

    @Override
    public void syscall(String name, int errno) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String err = Errno.name(errno);
        cached(inner(syscalls, name), err, e -> Counter.builder("kernel.syscalls")
                .description("Syscalls returned, by name and errno").baseUnit("syscalls")
                .tags("name", name, "errno", e).register(r)).increment();
    }

    @Override
    public void pass(String reason, String kind) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        cached(inner(passes, reason), kind, k -> Counter.builder("kernel.scheduler.slots")
                .description("Scheduler passes, by reason and the kind of thread given the core").baseUnit("slots")
                .tags("reason", reason, "kind", k).register(r)).increment();
    }

    @Override
    public void passes(String reason, String kind, long n) {
        MeterRegistry r = registry;
        if (r == null || n <= 0) {
            return;
        }
        cached(inner(passes, reason), kind, k -> Counter.builder("kernel.scheduler.slots")
                .description("Scheduler passes, by reason and the kind of thread given the core").baseUnit("slots")
                .tags("reason", reason, "kind", k).register(r)).increment(n);
    }

    @Override
    public void contextSwitch() {
        if (contextSwitches != null) {
            contextSwitches.increment();
        }
    }

    @Override
    public void contextSwitches(long n) {
        if (contextSwitches != null && n > 0) {
            contextSwitches.increment(n);
        }
    }

    @Override
    public void boosts(String reason, long n) {
        MeterRegistry r = registry;
        if (r != null && n > 0) {
            cached(boosts, reason, k -> Counter.builder("kernel.boosts").description("Scheduler boosts, by reason")
                    .baseUnit("boosts").tags("reason", k).register(r)).increment(n);
        }
    }

    @Override
    public void networkPolls(long n) {
        if (polls != null && n > 0) {
            polls.increment(n);
        }
    }

    @Override
    public void boost(String reason) {
        MeterRegistry r = registry;
        if (r != null) {
            cached(boosts, reason, k -> Counter.builder("kernel.boosts").description("Scheduler boosts, by reason")
                    .baseUnit("boosts").tags("reason", k).register(r)).increment();
        }
    }

    @Override
    public void cpuTime(String kind, long ns) {
        MeterRegistry r = registry;
        if (r != null && ns > 0) {
            cached(cpu, kind, k -> Counter.builder("kernel.cpu.time")
                    .description("Simulated CPU time charged to threads, by thread kind").baseUnit("seconds")
                    .tags("kind", k).register(r)).increment(ns / 1e9);
        }
    }

    @Override
    public void echoLatency(long ns) {
        if (echo != null) {
            echo.record(ns, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void networkPoll() {
        if (polls != null) {
            polls.increment();
        }
    }

    @Override
    public void threadKilled(String reason) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String category = reason.startsWith("watchdog") ? "watchdog"
                : reason.startsWith("client") ? "client"
                : reason.startsWith("machine") ? "machine-deleted"
                : reason.startsWith("kernel fault") ? "fault" : "other";
        cached(killed, category, k -> Counter.builder("kernel.killed.threads")
                .description("User threads killed from outside, by reason").baseUnit("threads")
                .tags("reason", k).register(r)).increment();
    }

    @Override
    public void retransmit(String side) {
        MeterRegistry r = registry;
        if (r != null) {
            cached(retransmits, side, k -> Counter.builder("kernel.tcp.retransmits")
                    .description("TCP segments retransmitted, by the machine (local) or the remote host (remote)")
                    .baseUnit("retransmits").tags("side", k).register(r)).increment();
        }
    }

    @Override
    public void windowAdvertised(int bytes) {
        if (window != null) {
            window.record(bytes);
        }
    }

    @Override
    public void rxOccupancy(int bytes) {
        if (occupancy != null) {
            occupancy.record(bytes);
        }
    }

    @Override
    public void virtualTimeAdvanced(long ns) {
        virtualNs.addAndGet(ns);
        if (virtualTime != null) {
            virtualTime.increment(ns / 1e9);
        }
    }
}
