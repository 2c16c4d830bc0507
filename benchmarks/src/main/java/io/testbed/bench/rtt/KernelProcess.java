package io.testbed.bench.rtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bare kernel-sim for {@link RoundTripProbe}'s second process: a machine registry and the service's
 * {@link GrpcServer} on a free loopback port and a Unix domain socket in a fresh private temporary directory,
 * one virtual-clock machine, no Spring; and the service's {@link FramedServer} on a framed socket next to it. It prints
 * one line, {@code READY port=<port> uds=<path> framed=<path> machine=<id>},
 * and runs until its standard input closes (the probe ends it so).
 */
public final class KernelProcess {

    private KernelProcess() {
    }

    public static void main(String[] args) throws IOException {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        p.getGrpc().setPort(0);
        MachineRegistry registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        String machine = registry.create("rtt", "", Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
        Path dir = Files.createTempDirectory("kernel-sim-rtt");
        p.getGrpc().setUdsPath(dir.resolve("grpc.sock").toString());
        p.getFramed().setUdsPath(dir.resolve("framed.sock").toString());
        GrpcServer server = new GrpcServer(p, registry, new SimpleMeterRegistry());
        server.start();
        FramedServer framed = new FramedServer(p, registry, null);
        framed.start();
        System.out.println("READY port=" + server.port() + " uds=" + server.udsPath() + " framed=" + framed.udsPath() + " machine=" + machine);
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the probe to close our stdin
        }
        framed.stop();
        server.stop();
        registry.close();
        Files.deleteIfExists(dir);
    }
}
