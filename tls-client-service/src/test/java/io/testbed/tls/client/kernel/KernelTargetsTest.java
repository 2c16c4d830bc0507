package io.testbed.tls.client.kernel;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.tls.client.config.TestbedProperties;
import io.testbed.tls.client.support.SimulatedMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@code testbed.kernels.<name>} targets become channels: {@code host:port}, or {@code unix:///path} for a kernel-sim
 * on this host (issue 19), {@code framed:///path} for its framed syscall socket, and a target of none of these forms
 * refused when the targets are made, naming the setting.
 */
class KernelTargetsTest {
    static final String TOKEN = "t0ken-for-the-kernel-targets-test-0123";

    @TempDir
    Path dir;

    private static TestbedProperties kernels(Map<String, String> kernels) {
        return new TestbedProperties(kernels, null, null, new TestbedProperties.HostKernel(false, List.of()), null);
    }

    @Test
    void aTargetOfNeitherForm_isRefusedAtStart_namingTheSetting() {
        for (String bad : List.of("kernel-sim", "127.0.0.1:", "127.0.0.1:port", "127.0.0.1:0", "127.0.0.1:65536", ":50051",
                "unix:grpc.sock", "unix://grpc.sock", "unix:///run/testbed/",
                "framed:framed.sock", "framed://framed.sock", "framed:///run/testbed/", "framed://")) {
            assertThatThrownBy(() -> new KernelTargets(kernels(Map.of("sim", bad))))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("testbed.kernels.sim: kernel target '" + bad + "' is not");
        }
    }

    @Test
    void theFormsItTakes_makeAKernel_withoutConnecting() {
        KernelTargets targets = new KernelTargets(kernels(Map.of("tcp", "127.0.0.1:1", "v6", "[::1]:1", "named", "kernel-sim:50051",
                "uds", "unix:///run/testbed/kernel-sim.sock", "framed", "framed:///run/testbed/framed.sock")));
        try {
            for (String name : List.of("tcp", "v6", "named", "uds", "framed")) {
                assertThat(targets.get(name)).as(name).isNotNull();
            }
        } finally {
            targets.destroy();
        }
    }

    @Test
    void aUnixSocketTarget_reachesTheKernel_withTheTokenItWants() throws Exception {
        KernelSimProperties p = new KernelSimProperties();
        p.getGrpc().setPort(0);
        p.getGrpc().setUdsPath(dir.resolve("kernel/grpc.sock").toString());
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        MachineRegistry registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        String machine = registry.create("uds", SimulatedMachines.AKUMA, Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
        GrpcServer server = new GrpcServer(p, registry, new SimpleMeterRegistry(), new BearerToken(TOKEN));
        server.start();
        TestbedProperties config = kernels(Map.of("local", KernelTargets.UNIX + server.udsPath()));
        KernelTargets with = new KernelTargets(config, new SimpleMeterRegistry(), TOKEN);
        KernelTargets without = new KernelTargets(config, new SimpleMeterRegistry(), (String) null);
        try {
            try (UserThread thread = with.get("local").attach(machine, "uds")) {
                for (int i = 0; i < 10; i++) {
                    assertThat(thread.clockGettime(1).getErrno()).isZero();
                }
            }
            assertThatThrownBy(() -> {
                try (UserThread thread = without.get("local").attach(machine, "uds-without-token")) {
                    thread.clockGettime(1);
                }
            }).hasStackTraceContaining("UNAUTHENTICATED");
        } finally {
            with.destroy();
            without.destroy();
            server.stop();
            registry.close();
        }
    }

    @Test
    void aFramedTarget_reachesTheKernel_withTheTokenItWants() throws Exception {
        KernelSimProperties p = new KernelSimProperties();
        p.getFramed().setUdsPath(dir.resolve("kernel/framed.sock").toString());
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        MachineRegistry registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        String machine = registry.create("framed", SimulatedMachines.AKUMA, Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
        FramedServer server = new FramedServer(p, registry, new BearerToken(TOKEN));
        server.start();
        TestbedProperties config = kernels(Map.of("local", KernelTargets.FRAMED + server.udsPath()));
        KernelTargets with = new KernelTargets(config, new SimpleMeterRegistry(), TOKEN);
        KernelTargets without = new KernelTargets(config, new SimpleMeterRegistry(), (String) null);
        try {
            try (UserThread thread = with.get("local").attach(machine, "framed")) {
                for (int i = 0; i < 10; i++) {
                    assertThat(thread.clockGettime(1).getErrno()).isZero();
                }
            }
            assertThatThrownBy(() -> without.get("local").attach(machine, "framed-without-token"))
                    .hasMessageContaining("UNAUTHENTICATED");
        } finally {
            with.destroy();
            without.destroy();
            server.stop();
            registry.close();
        }
    }
}
