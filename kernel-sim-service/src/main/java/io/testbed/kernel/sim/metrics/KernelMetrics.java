package io.testbed.kernel.sim.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.sim.engine.KernelListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The kernel's metrics, summed over all machines (machine ids are not tags: they are unbounded).
 * Engine threads report through {@link KernelListener}; counters are created lazily per bounded tag
 * value (syscall names, errno names, thread kinds, boost reasons).
 */
public class KernelMetrics implements MeterBinder, KernelListener {
    private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Supplier<Integer> machineCount;
    private final AtomicReference<Timer> echo = new AtomicReference<>();

    public KernelMetrics(Supplier<Integer> machineCount) {
        this.machineCount = machineCount;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        registry.set(r);
        Gauge.builder("kernel.machines", () -> machineCount.get())
                .description("Simulated machines running").baseUnit("machines").register(r);
        contextSwitches();
        echo.set(Timer.builder("kernel.echo.latency")
                .description("Interactive session echo latency: keystroke at the NIC to echo on the wire")
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(10)).register(r));
        counter("kernel.network.polls", "Network stack polls by the network thread", "polls");
    }

    private Counter counter(String name, String description, String unit, String... tags) {
        MeterRegistry r = registry.get();
        if (r == null) {
            return null;
        }
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).baseUnit(unit)
                .tags(tags).register(r));
    }

    private void contextSwitches() {
        counter("kernel.context.switches", "Context switches on the simulated core", "switches");
    }

    @Override
    public void syscall(String name, int errno) {
        inc(counter("kernel.syscalls", "Syscalls returned, by name and errno", "syscalls", "name", name, "errno", Errno.name(errno)), 1);
    }

    @Override
    public void contextSwitch() {
        inc(counter("kernel.context.switches", "Context switches on the simulated core", "switches"), 1);
    }

    @Override
    public void boost(String reason) {
        inc(counter("kernel.boosts", "Scheduler boosts of the boost slot, by reason", "boosts", "reason", reason), 1);
    }

    @Override
    public void cpuTime(String kind, long ns) {
        inc(counter("kernel.cpu.time", "Simulated CPU time charged to threads, by thread kind", "seconds", "kind", kind), ns / 1e9);
    }

    @Override
    public void echoLatency(long ns) {
        Timer t = echo.get();
        if (t != null) {
            t.record(ns, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void networkPoll() {
        inc(counter("kernel.network.polls", "Network stack polls by the network thread", "polls"), 1);
    }

    @Override
    public void threadKilled(String reason) {
        String category = reason.startsWith("watchdog") ? "watchdog"
                : reason.startsWith("client") ? "client"
                : reason.startsWith("machine") ? "machine-deleted"
                : reason.startsWith("kernel fault") ? "fault" : "other";
        inc(counter("kernel.threads.killed", "User threads killed from outside, by reason", "threads", "reason", category), 1);
    }

    @Override
    public void virtualTimeAdvanced(long ns) {
        inc(counter("kernel.virtual.time", "Simulated time advanced on all machines", "seconds"), ns / 1e9);
    }

    private static void inc(Counter c, double amount) {
        if (c != null && amount > 0) {
            c.increment(amount);
        }
    }
}
