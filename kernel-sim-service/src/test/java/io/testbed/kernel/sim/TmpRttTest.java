package io.testbed.kernel.sim;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.*;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.engine.KernelListener;
import io.testbed.kernel.sim.machine.MachineRegistry;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.*;
class TmpRttTest {
    @Test
    void rtt() throws Exception {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.getGrpc().setPort(0);
        MachineRegistry registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        GrpcServer server = new GrpcServer(p, registry, new SimpleMeterRegistry());
        server.start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        for (String clock : new String[]{"virtual","live"}) {
          String id = registry.create("x", "", Map.of(), clock.equals("live") ? Clock.CLOCK_LIVE : Clock.CLOCK_VIRTUAL, 1).id();
          for (Kernel k : new Kernel[]{new InProcessKernel(registry, Duration.ofSeconds(10)), new GrpcKernel(ch, false, Duration.ofSeconds(10))}) {
            try (UserThread t = k.attach(id, "rtt")) {
                for (int i = 0; i < 3000; i++) t.clockGettime(1);
                long[] d = new long[5000];
                for (int i = 0; i < d.length; i++) { long a = System.nanoTime(); t.clockGettime(1); d[i] = System.nanoTime() - a; }
                Arrays.sort(d);
                System.out.printf("%s %s: p50 %.1f us p99 %.1f us%n", clock, k.getClass().getSimpleName(), d[2500]/1e3, d[4950]/1e3);
            }
          }
        }
        ch.shutdownNow(); server.stop(); registry.close();
    }
}
