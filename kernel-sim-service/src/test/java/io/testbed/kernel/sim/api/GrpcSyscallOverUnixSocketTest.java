package io.testbed.kernel.sim.api;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@link GrpcSyscallTest}'s syscalls and admin calls over kernel-sim's Unix domain socket ({@code unix://}) instead of TCP. */
class GrpcSyscallOverUnixSocketTest extends GrpcSyscallTest {
    private Path dir;

    @Override
    void configure(KernelSimProperties.Grpc grpc) throws Exception {
        dir = Files.createTempDirectory("kernel-sim-uds");
        grpc.setUdsPath(dir.resolve("grpc.sock").toString());
    }

    @Override
    ManagedChannel channelTo(GrpcServer server) {
        return Grpc.newChannelBuilder("unix://" + server.udsPath(), InsecureChannelCredentials.create()).build();
    }

    @Override
    @AfterEach
    void tearDown() throws Exception {
        super.tearDown();
        Files.deleteIfExists(dir);
    }
}
