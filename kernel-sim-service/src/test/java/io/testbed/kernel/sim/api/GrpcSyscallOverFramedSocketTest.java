package io.testbed.kernel.sim.api;

import io.grpc.ManagedChannel;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link GrpcSyscallTest}'s syscalls over kernel-sim's framed socket ({@code testbed.kernel.framed.uds-path}, issue 19)
 * instead of the gRPC stream; the machine admin calls stay on gRPC, as they do for tls-client.
 */
class GrpcSyscallOverFramedSocketTest extends GrpcSyscallTest {
    private Path dir;
    private FramedServer framed;

    @Override
    Kernel kernelTo(ManagedChannel channel, KernelSimProperties p, MachineRegistry registry) throws Exception {
        if (framed == null) {
            dir = Files.createTempDirectory("kernel-sim-framed");
            p.getFramed().setUdsPath(dir.resolve("framed.sock").toString());
            framed = new FramedServer(p, registry, null);
            framed.start();
        }
        return new FramedKernel(framed.udsPath(), null, Duration.ofSeconds(30), 2 << 20);
    }

    @Override
    @AfterEach
    void tearDown() throws Exception {
        super.tearDown();
        framed.stop();
        Files.deleteIfExists(dir);
    }
}
