package io.testbed.kernel.sim.api;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.MachinesGrpc;
import io.testbed.kernel.sim.KernelSimApplication;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 5, on kernel-sim: its gRPC port bound beyond loopback ({@code testbed.kernel.grpc.address=0.0.0.0};
 * the test connects on 127.0.0.1) refuses every call without {@code authorization: Bearer <token>} with
 * UNAUTHENTICATED, serves calls that carry it, and keeps its HTTP health open; without a token the service
 * does not start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.kernel.grpc.port=0", "testbed.kernel.grpc.address=0.0.0.0",
        "testbed.security.token=" + GrpcTokenTest.TOKEN})
class GrpcTokenTest {
    static final String TOKEN = "t0ken-for-the-kernel-sim-test-0123";

    @LocalServerPort
    int port;
    @Autowired
    GrpcServer grpc;

    final List<ManagedChannel> channels = new ArrayList<>();

    private ManagedChannel channel(String token) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext();
        if (token != null) {
            b.intercept(new BearerToken(token).clientInterceptor());
        }
        ManagedChannel c = b.build();
        channels.add(c);
        return c;
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void adminCalls_withoutOrWithAWrongToken_areUnauthenticated() {
        for (String token : new String[] {null, TOKEN + "x", "another-token-of-enough-length"}) {
            MachinesGrpc.MachinesBlockingStub stub = MachinesGrpc.newBlockingStub(channel(token)).withDeadlineAfter(Duration.ofSeconds(10));
            assertThatThrownBy(() -> stub.list(ListMachinesRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("testbed.security.token");
                    });
        }
    }

    @Test
    void syscalls_withoutTheToken_areUnauthenticated_andWithIt_served() throws Exception {
        try (GrpcKernel without = new GrpcKernel(channel(null), false, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> {
                try (UserThread t = without.attach(MachineRegistry.DEFAULT_ID, "no-token")) {
                    t.clockGettime(1);
                }
            }).hasStackTraceContaining("UNAUTHENTICATED");
        }
        try (GrpcKernel with = new GrpcKernel(channel(TOKEN), false, Duration.ofSeconds(10));
             UserThread t = with.attach(MachineRegistry.DEFAULT_ID, "token")) {
            assertThat(t.clockGettime(1).getErrno()).isZero();
        }
        assertThat(MachinesGrpc.newBlockingStub(channel(TOKEN)).list(ListMachinesRequest.getDefaultInstance()).getMachinesList())
                .extracting(m -> m.getId()).contains(MachineRegistry.DEFAULT_ID);
    }

    @Test
    void health_needsNoToken() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void openedBeyondLoopbackWithoutAToken_refusesToStart() {
        SpringApplication app = new SpringApplication(KernelSimApplication.class);
        assertThatThrownBy(() -> app.run("--server.port=0", "--testbed.kernel.grpc.port=0", "--testbed.kernel.grpc.address=0.0.0.0",
                "--testbed.security.token=").close())
                .rootCause().hasMessageContaining("kernel-sim-service binds beyond loopback (testbed.kernel.grpc.address=0.0.0.0)")
                .hasMessageContaining("TESTBED_TOKEN");
    }
}
