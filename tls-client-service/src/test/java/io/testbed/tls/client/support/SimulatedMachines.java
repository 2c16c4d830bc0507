package io.testbed.tls.client.support;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.engine.KernelListener;
import io.testbed.kernel.sim.machine.MachineRegistry;

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
 *       another CA ({@link TestPki#OTHER_CA}), with repository {@code pack-small}.</li>
 * </ul>
 * Machines run on the virtual clock; each test creates its own and deletes it.
 */
public final class SimulatedMachines {
    public static final String AKUMA = "akuma-2026-01-31";
    public static final int FOREIGN_CA_PORT = 444;

    private static SimulatedMachines instance;

    private final GitHttpServerFixture git;
    private final TestGitServer foreignCa;
    private final MachineRegistry registry;
    private final InProcessKernel kernel;

    private SimulatedMachines() throws IOException {
        git = GitHttpServerFixture.get();
        foreignCa = new TestGitServer(TestPki.OTHER_CA.issue("git.testbed").sslContext()).withRepo("pack-small", 4, 16 * 1024);
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of(
                "git.testbed:443=127.0.0.1:" + git.port(),
                "wrong.testbed:443=127.0.0.1:" + git.port(),
                "git.testbed:" + FOREIGN_CA_PORT + "=127.0.0.1:" + foreignCa.port()));
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
