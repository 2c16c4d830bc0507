package io.testbed.kernel.sim;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.runtime.MemoryUpstreamConnector;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the engine-level tests share: a machine registry without the default machine, the in-process
 * binding to it, and optionally a {@link BulkServer} allow-listed as {@code bulk.test:80}.
 */
public final class SimFixture implements AutoCloseable {
    public final MachineRegistry registry;
    public final InProcessKernel kernel;
    private final BulkServer server;

    private SimFixture(BulkServer server, Duration replyTimeout) {
        this(server, replyTimeout, MachineRegistry.SOCKETS);
    }

    private SimFixture(BulkServer server, Duration replyTimeout, MachineRegistry.ConnectorFactory connectors) {
        this.server = server;
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        if (server != null) {
            p.setUpstreams(List.of("bulk.test:80=127.0.0.1:" + server.port()));
        }
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime, connectors);
        kernel = new InProcessKernel(registry, replyTimeout);
    }

    /** Machines with no upstream. */
    public static SimFixture machines() {
        return new SimFixture(null, Duration.ofSeconds(30));
    }

    /** Machines that may connect to a bulk server at {@code bulk.test:80}. */
    public static SimFixture withBulkServer(Duration replyTimeout) throws IOException {
        return new SimFixture(new BulkServer(), replyTimeout);
    }

    /**
     * Machines whose {@code bulk.test:80} is an in-memory bulk server ({@link MemoryUpstreamConnector}): the
     * same protocol and bytes as {@link BulkServer}, no socket, no real-time hold, exactly repeatable.
     */
    public static SimFixture withMemoryBulkServer(Duration replyTimeout) {
        return new SimFixture(null, replyTimeout, MemoryUpstreamConnector.factory("bulk.test:80"));
    }

    /** A machine of the default profile with these overrides. */
    public Machine create(String name, Map<String, String> overrides, Clock clock, long seed) {
        return registry.create(name, "", overrides, clock, seed);
    }

    /** The machine's stats once it is quiescent (polled for up to 5 s of real time). */
    public static MachineStats settled(Machine m) throws Exception {
        MachineStats stats = m.loop().stats().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 500 && stats.getCountersMap().get("quiescent") == 0; i++) {
            Thread.sleep(10);
            stats = m.loop().stats().get(5, TimeUnit.SECONDS);
        }
        return stats;
    }

    @Override
    public void close() throws IOException {
        registry.close();
        if (server != null) {
            server.close();
        }
    }
}
