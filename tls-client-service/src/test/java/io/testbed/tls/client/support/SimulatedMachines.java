package io.testbed.tls.client.support;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Simulated machines in-process (kernel-sim's {@link MachineRegistry} and {@link InProcessKernel}),
 * one registry per test JVM, with an allow-list that reaches:
 * <ul>
 *   <li>{@code git.testbed:443}: the real git server ({@link GitHttpServerFixture});</li>
 *   <li>{@code wrong.testbed:443}: the same server, whose certificate does not name wrong.testbed;</li>
 *   <li>{@code git.testbed:444}: an HTTPS git server whose certificate for git.testbed comes from
 *       another CA ({@link TestPki#OTHER_CA}), with repository {@code pack-small};</li>
 *   <li>{@code git.testbed:445}: the real git server through a {@link BreakableProxy} (the server
 *       "stopped" mid-download);</li>
 *   <li>{@code git.testbed:446}: a {@link SilentServer} (accepts, never answers);</li>
 *   <li>{@code git.testbed:447}: an HTTPS git server whose certificate, from {@link TestPki#CA}, has
 *       expired, with repository {@code pack-small};</li>
 *   <li>{@code git.testbed:448}: the real git server slowed down ({@link GitHttpServerFixture#slowed()}).</li>
 * </ul>
 * The real git server's entries (443, 448 and wrong.testbed) name its mark feed, so machines with the
 * default {@code upstream.sync=marks} wait for its marks; the others have quiet windows only.
 * Machines run on the virtual clock; each test creates its own and deletes it.
 */
public final class SimulatedMachines {
    public static final String AKUMA = "akuma-2026-01-31";
    public static final int FOREIGN_CA_PORT = 444;
    public static final int BREAKABLE_PORT = 445;
    public static final int SILENT_PORT = 446;
    public static final int EXPIRED_PORT = 447;
    public static final int SLOW_PORT = 448;

    private static SimulatedMachines instance;

    private final GitHttpServerFixture git;
    private final TestGitServer foreignCa;
    private final BreakableProxy breakable;
    private final SilentServer silent;
    private final TestGitServer expired;
    private final MachineRegistry registry;
    private final InProcessKernel kernel;

    private SimulatedMachines() throws IOException {
        git = GitHttpServerFixture.get();
        foreignCa = new TestGitServer(TestPki.OTHER_CA.issue("git.testbed").sslContext()).withRepo("pack-small", 4, 16 * 1024);
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        breakable = new BreakableProxy(git.port());
        silent = new SilentServer();
        expired = new TestGitServer(TestPki.CA.issueExpired("git.testbed").sslContext()).withRepo("pack-small", 4, 16 * 1024);
        GitHttpServerFixture slow = GitHttpServerFixture.slowed();
        String marks = ";marks=127.0.0.1:" + git.marksPort();
        p.setUpstreams(List.of(
                "git.testbed:443=127.0.0.1:" + git.port() + marks,
                "wrong.testbed:443=127.0.0.1:" + git.port() + marks,
                "git.testbed:" + SLOW_PORT + "=127.0.0.1:" + slow.port() + ";marks=127.0.0.1:" + slow.marksPort(),
                "git.testbed:" + FOREIGN_CA_PORT + "=127.0.0.1:" + foreignCa.port(),
                "git.testbed:" + BREAKABLE_PORT + "=127.0.0.1:" + breakable.port(),
                "git.testbed:" + SILENT_PORT + "=127.0.0.1:" + silent.port(),
                "git.testbed:" + EXPIRED_PORT + "=127.0.0.1:" + expired.port()));
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        kernel = new InProcessKernel(registry, Duration.ofSeconds(120));
    }

    public static synchronized SimulatedMachines get() {
        if (instance == null) {
            try {
                instance = new SimulatedMachines();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public GitHttpServerFixture git() {
        return git;
    }

    public BreakableProxy breakable() {
        return breakable;
    }

    public MachineRegistry registry() {
        return registry;
    }

    /** The machine's counters (user_threads, sockets_open, ...), as the admin API's stats give them. */
    public Map<String, Long> counters(String machineId) {
        try {
            return registry.get(machineId).loop().stats().get(10, java.util.concurrent.TimeUnit.SECONDS).getCountersMap();
        } catch (Exception e) {
            throw new IllegalStateException("stats of " + machineId + ": " + e, e);
        }
    }

    /** The machine's threads, the ended user threads included, as the admin API's stats give them. */
    public java.util.List<io.testbed.kernel.api.v1.ThreadStats> threads(String machineId) {
        try {
            return registry.get(machineId).loop().stats().get(10, java.util.concurrent.TimeUnit.SECONDS).getThreadsList();
        } catch (Exception e) {
            throw new IllegalStateException("stats of " + machineId + ": " + e, e);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    /** A new virtual-clock machine; the caller deletes it with {@link #delete}. */
    public String create(String profile, Map<String, String> overrides) {
        return registry.create("tls-client-test", profile, overrides, Clock.CLOCK_VIRTUAL, 1).id();
    }

    public void delete(String machineId) {
        registry.delete(machineId);
    }
}
