package io.testbed.kernel.sim;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The service with {@code testbed.kernel.framed.uds-path} set (issue 19): the framed listener starts with it and serves. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"testbed.kernel.grpc.port=0", "testbed.kernel.grpc.address=127.0.0.1"})
class FramedListenerApplicationTest {
    static Path socket;

    @Autowired
    FramedServer framed;

    @DynamicPropertySource
    static void socket(DynamicPropertyRegistry registry) throws Exception {
        // a fresh temporary directory is owner-only (700)
        socket = Files.createTempDirectory("kernel-sim-framed-app").resolve("framed.sock");
        registry.add("testbed.kernel.framed.uds-path", socket::toString);
    }

    @Test
    void theFramedListener_startsWithTheService_andServesTheDefaultMachine() {
        assertThat(framed.udsPath()).isEqualTo(socket);
        FramedKernel kernel = new FramedKernel(socket, null, Duration.ofSeconds(10), 2 << 20);
        try (UserThread t = kernel.attach(MachineRegistry.DEFAULT_ID, "framed-probe")) {
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
            assertThat(t.recvfrom(99, 10, 0).getErrno()).isEqualTo(Errno.EBADF);
        } finally {
            kernel.close();
        }
    }
}
