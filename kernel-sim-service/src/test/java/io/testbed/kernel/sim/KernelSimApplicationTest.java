package io.testbed.kernel.sim;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The service as deployed: the default live machine, gRPC on 127.0.0.1, metrics, actuator exposure. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"testbed.kernel.grpc.port=0", "testbed.kernel.grpc.address=127.0.0.1",
                "testbed.kernel.default-machine-overrides.sessions.count=2"})
class KernelSimApplicationTest {
    @LocalServerPort
    int port;
    @Autowired
    GrpcServer grpc;
    @Autowired
    MachineRegistry registry;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void defaultLiveMachine_servesSyscalls_andMetricsShowThem() throws Exception {
        assertThat(registry.get(MachineRegistry.DEFAULT_ID)).isNotNull();
        assertThat(registry.get(MachineRegistry.DEFAULT_ID).settings().values()).containsEntry("sessions.count", "2");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        try (GrpcKernel kernel = new GrpcKernel(channel, true, Duration.ofSeconds(10));
             UserThread t = kernel.attach(MachineRegistry.DEFAULT_ID, "probe")) {
            assertThat(t.clockGettime(1).getErrno()).isZero();
            assertThat(t.recvfrom(99, 10, 0).getErrno()).isEqualTo(io.testbed.kernel.api.Errno.EBADF);
        }
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("kernel_syscalls_total{", "name=\"clock_gettime\"", "errno=\"EBADF\"",
                "kernel_machines", "kernel_context_switches_total", "kernel_cpu_time_seconds_total",
                "kernel_scheduler_slots_total", "kernel_echo_latency_seconds", "grpc_server_requests_received");
    }

    @Test
    void actuator_exposesOnlyHealthInfoPrometheus() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
    }

    @Test
    void getError_directly_is404_not500WithStatus999() throws Exception {
        for (String path : new String[] {"/error", "/error/"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("999");
        }
    }
}
