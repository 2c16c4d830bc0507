package io.testbed.gateway.kernel;

import io.testbed.gateway.common.DependencyUnavailableException;
import io.testbed.gateway.discovery.AddressResolver;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernels runs can go to, their health and their load (issue 20).
 *
 * <p>The members are the static {@code testbed.kernels.<name>} list or, with
 * {@code testbed.kernel-discovery.dns}, the addresses that name resolves to (a headless Service's ready pods),
 * each named by its {@code address:port}, resolved again every {@code refresh}: a new address is registered
 * with {@link MachineAdminClient}; a vanished one (a pod that is terminating or gone) gets no new run and is
 * forgotten once the runs it has end (a terminating pod finishes them; a dead one fails them, and they start
 * again elsewhere). Every {@code refresh} each member's
 * {@code Machines.List} is read within {@code probe-deadline}: that is its health and its load (machines,
 * running virtual-clock machines, machine limit, processors). A member that fails the read, or that a run found
 * unreachable ({@link #failed}), gets no run until a later read succeeds.
 *
 * <p>{@link #lease} gives a run the healthy member with the most free capacity: its processors (one running
 * virtual-clock machine keeps about one busy) less the larger of the running machines it reported and the runs
 * this gateway has on it now; a member at its machine limit is skipped; ties go to the member used least
 * recently. With the static list and no member probed healthy yet (a kernel that is not up, or
 * {@code refresh=0}), the members are taken in turn as before discovery existed, so {@code make run} and
 * compose behave as they did.
 */
@Component
public class KernelDirectory {

    private static final Logger log = LoggerFactory.getLogger(KernelDirectory.class);

    /**
     * What the directory knows about one member.
     *
     * @param healthy  its last health read succeeded, and no run found it unreachable since
     * @param leaving  its address left the discovery name: it finishes its runs and gets no new one
     * @param inFlight runs this gateway has on it now
     */
    public record Member(String name, String target, boolean healthy, boolean leaving, KernelLoad load, String problem, int inFlight) {

        /** Free run slots: processors (1 when not reported) less the larger of reported running machines and own runs. */
        public int free() {
            int capacity = load == null || load.processors() <= 0 ? 1 : load.processors();
            int busy = Math.max(load == null ? 0 : load.running(), inFlight);
            return capacity - busy;
        }
    }

    /** A run's hold on a kernel: counted in its load until closed. */
    public final class Lease implements AutoCloseable {
        private final String kernel;
        private boolean closed;

        private Lease(String kernel) {
            this.kernel = kernel;
        }

        public String kernel() {
            return kernel;
        }

        @Override
        public void close() {
            synchronized (KernelDirectory.this) {
                if (!closed) {
                    closed = true;
                    if (inFlight.computeIfAbsent(kernel, k -> new AtomicInteger()).decrementAndGet() <= 0 && gone.contains(kernel)) {
                        forget(kernel);
                    }
                }
            }
        }
    }

    private record Health(boolean healthy, KernelLoad load, String problem) {
    }

    private final MachineAdminClient machines;
    private final KernelProperties kernels;
    private final KernelDiscoveryProperties properties;
    private final AddressResolver resolver;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    /** Discovered kernels whose address left the name, kept until their runs end. */
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final AtomicLong turn = new AtomicLong();
    private final Object refreshLock = new Object();
    private volatile boolean resolvedOnce;
    private ScheduledExecutorService refresher;

    public KernelDirectory(MachineAdminClient machines, KernelProperties kernels, KernelDiscoveryProperties properties,
                           AddressResolver resolver) {
        this.machines = machines;
        this.kernels = kernels;
        this.properties = properties;
        this.resolver = resolver;
        if (properties.enabled()) {
            // the static list is not used with discovery: only what the name resolves to
            kernels.kernels().keySet().forEach(machines::forget);
        }
    }

    @PostConstruct
    void start() {
        if (properties.refresh().isZero()) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kernel-directory");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, properties.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Whether the kernels come from DNS. */
    public boolean discovering() {
        return properties.enabled();
    }

    public KernelDiscoveryProperties properties() {
        return properties;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("kernel directory refresh failed: {}", e.toString());
        }
    }

    /** Resolves the name again (with discovery) and reads every member's health and load; what the timer does. */
    public void refresh() {
        synchronized (refreshLock) {
            if (properties.enabled()) {
                resolve();
            }
            for (String name : machines.kernels()) {
                probe(name);
            }
        }
    }

    private void resolve() {
        List<String> found;
        try {
            found = resolver.resolve(properties.dns(), properties.port());
        } catch (UnknownHostException e) {
            // a name with no ready pod behind it does not resolve: no kernel, rather than the last answer kept forever
            found = List.of();
            log.debug("kernel discovery: {} does not resolve ({})", properties.dns(), e.getMessage());
        }
        Set<String> now = Set.copyOf(found);
        synchronized (this) {
            for (String name : machines.kernels()) {
                if (!now.contains(name) && gone.add(name)) {
                    int runs = inFlight.getOrDefault(name, new AtomicInteger()).get();
                    log.info("kernel {} left {} ({} kernels now): no new run goes there{}", name, properties.dns(), now.size(),
                            runs > 0 ? "; its " + runs + " runs finish first" : "");
                }
                if (gone.contains(name) && inFlight.getOrDefault(name, new AtomicInteger()).get() <= 0) {
                    forget(name);
                }
            }
            for (String target : found) {
                if (gone.remove(target)) {
                    log.info("kernel {} is back at {}", target, properties.dns());
                } else if (machines.target(target) == null) {
                    machines.register(target, target);
                    log.info("kernel {} found at {} ({} kernels now)", target, properties.dns(), now.size());
                }
            }
        }
        resolvedOnce = true;
    }

    private void forget(String name) {
        machines.forget(name);
        health.remove(name);
        gone.remove(name);
        inFlight.remove(name);
        lastUsed.remove(name);
    }

    private void probe(String name) {
        try {
            KernelLoad load = machines.load(name, properties.probeDeadline());
            Health before = health.put(name, new Health(true, load, null));
            if (before != null && !before.healthy()) {
                log.info("kernel {} is healthy again ({} machines)", name, load.machines());
            }
        } catch (UnknownKernelException gone) {
            health.remove(name);
        } catch (RuntimeException e) {
            Health before = health.put(name, new Health(false, null, e.getMessage()));
            if (before == null || before.healthy()) {
                log.warn("kernel {} fails its health check: no run goes there until it answers again: {}", name, e.getMessage());
            }
        }
    }

    /**
     * Marks a kernel as failing now (a run found it unreachable): no run goes there until a health read succeeds.
     */
    public void failed(String kernel, String problem) {
        if (machines.target(kernel) != null) {
            Health before = health.put(kernel, new Health(false, null, problem));
            if (before == null || before.healthy()) {
                log.warn("kernel {} failed under a run: no run goes there until it answers again: {}", kernel, problem);
            }
        }
    }

    /** Every member and what is known of it, by name. */
    public List<Member> members() {
        List<Member> all = new ArrayList<>();
        for (String name : new TreeMap<>(Map.copyOf(targets())).keySet()) {
            Health h = health.get(name);
            all.add(new Member(name, machines.target(name), h != null && h.healthy(), gone.contains(name), h == null ? null : h.load(),
                    h == null ? "not checked yet" : h.problem(), inFlight.getOrDefault(name, new AtomicInteger()).get()));
        }
        return all;
    }

    private Map<String, String> targets() {
        Map<String, String> m = new TreeMap<>();
        for (String name : machines.kernels()) {
            String t = machines.target(name);
            if (t != null) {
                m.put(name, t);
            }
        }
        return m;
    }

    /**
     * The healthy kernels that are not leaving, or, with the static list and none probed healthy yet, every configured
     * one; what an experiment checks its machines on before it runs.
     */
    public List<String> usable() {
        ensureResolved();
        List<Member> all = members();
        List<String> healthy = all.stream().filter(m -> m.healthy() && !m.leaving()).map(Member::name).toList();
        if (properties.enabled() || !healthy.isEmpty()) {
            return healthy;
        }
        // the static list with none probed healthy yet: all of them, as before discovery
        return all.stream().map(Member::name).toList();
    }

    /** Picks a kernel now, for something that holds no lease (a single download). */
    public String pick() {
        try (Lease lease = lease(java.time.Duration.ZERO)) {
            return lease.kernel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(MachineAdminClient.SERVICE, properties.dns(), "interrupted while picking a kernel", e);
        }
    }

    /**
     * The kernel with the most free capacity, held for a run until the lease is closed; waits up to {@code wait}
     * for a healthy kernel with room to appear.
     *
     * @throws DependencyUnavailableException when no kernel is usable within {@code wait}
     */
    public Lease lease(java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            ensureResolved();
            String chosen = choose();
            if (chosen != null) {
                return new Lease(chosen);
            }
            if (System.nanoTime() >= deadline) {
                List<Member> all = members();
                throw new DependencyUnavailableException(MachineAdminClient.SERVICE,
                        properties.enabled() ? properties.dns() + ":" + properties.port() : String.valueOf(kernels.kernels()),
                        all.isEmpty() ? "no kernel" + (properties.enabled() ? " behind " + properties.dns() : "") + " to run on"
                                : "no healthy kernel with room among " + all.stream().map(m -> m.name() + " (" + (m.healthy()
                                ? "full" : m.problem()) + ")").toList(), null);
            }
            Thread.sleep(Math.max(10, Math.min(properties.refresh().isZero() ? 200 : properties.refresh().toMillis(), 200)));
        }
    }

    /** Picks a member and counts the run on it, in one step (two runs leasing at once see each other). */
    private synchronized String choose() {
        String chosen = candidate();
        if (chosen != null) {
            inFlight.computeIfAbsent(chosen, k -> new AtomicInteger()).incrementAndGet();
            lastUsed.put(chosen, turn.incrementAndGet());
        }
        return chosen;
    }

    private String candidate() {
        List<Member> all = members().stream().filter(m -> !m.leaving()).toList();
        List<Member> healthy = all.stream().filter(Member::healthy).filter(m -> m.load() == null || !m.load().full()).toList();
        if (healthy.isEmpty()) {
            if (!properties.enabled() && !all.isEmpty()) {
                // the static list and no healthy kernel with room: in turn, as before discovery (a dead kernel then fails
                // the call with a 503 naming it, a full one with its own RESOURCE_EXHAUSTED)
                List<Member> inTurn = all.stream().sorted(Comparator.comparingLong(m -> lastUsed.getOrDefault(m.name(), 0L))).toList();
                return inTurn.get(0).name();
            }
            return null;
        }
        return healthy.stream().max(Comparator.comparingInt(Member::free)
                        .thenComparing(m -> -lastUsed.getOrDefault(m.name(), 0L)))
                .map(Member::name).orElseThrow();
    }

    private void ensureResolved() {
        if (properties.enabled() && !resolvedOnce) {
            refresh();
        }
    }
}
