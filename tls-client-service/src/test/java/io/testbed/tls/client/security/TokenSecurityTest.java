package io.testbed.tls.client.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.tls.client.TlsClientApplication;
import io.testbed.tls.client.config.TestbedProperties;
import io.testbed.tls.client.kernel.KernelTargets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 5, on tls-client: bound beyond loopback ({@code server.address=0.0.0.0}; the test connects
 * on 127.0.0.1), its writes need the bearer token and its reads and health do not; without a token it does not
 * start; and its gRPC channels carry the token to a kernel that wants it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=0.0.0.0",
        "testbed.security.token=" + TokenSecurityTest.TOKEN,
        "testbed.kernels.default=127.0.0.1:1"})
class TokenSecurityTest {
    static final String TOKEN = "t0ken-for-the-tls-client-test-0123";
    static final String POLICY = "{\"type\":\"sleep\",\"sleepMs\":10}";

    @Autowired
    Environment env;

    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.getProperty("local.server.port") + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writes_withoutOrWithAWrongToken_are401() throws Exception {
        HttpResponse<String> none = call("POST", "/api/policies/check", POLICY, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(none.body()).contains("testbed.security.token");
        assertThat(call("POST", "/api/policies/check", POLICY, "Bearer " + TOKEN + "0").statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/downloads", "{\"repo\":\"pack-small\"}", "Bearer wrong-token-0123456789abc").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/downloads", null, null).body()).as("no download was started").isEqualTo("[]");
    }

    @Test
    void aWrite_withTheToken_isServed() throws Exception {
        HttpResponse<String> r = call("POST", "/api/policies/check", POLICY, "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void readsAndHealth_needNoToken() throws Exception {
        assertThat(call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/capabilities", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void openedBeyondLoopbackWithoutAToken_refusesToStart() {
        SpringApplication app = new SpringApplication(TlsClientApplication.class);
        assertThatThrownBy(() -> app.run("--server.port=0", "--server.address=0.0.0.0", "--testbed.security.token=").close())
                .rootCause().hasMessageContaining("tls-client-service binds beyond loopback (server.address=0.0.0.0)")
                .hasMessageContaining("TESTBED_TOKEN");
    }

    @Nested
    class GrpcChannel {
        @Test
        void aKernelThatWantsTheToken_servesAChannelThatCarriesIt_andRefusesOneWithout() throws Exception {
            KernelSimProperties p = new KernelSimProperties();
            p.getGrpc().setPort(0);
            p.setDefaultMachine(false);
            MachineRegistry registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
            String machine = registry.create("token", SimulatedMachines.AKUMA, Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
            GrpcServer server = new GrpcServer(p, registry, new SimpleMeterRegistry(), new BearerToken(TOKEN));
            server.start();
            TestbedProperties targets = new TestbedProperties(Map.of("sim", "127.0.0.1:" + server.port()), null, null,
                    new TestbedProperties.HostKernel(false, List.of()), null);
            KernelTargets with = new KernelTargets(targets, new SimpleMeterRegistry(), TOKEN);
            KernelTargets without = new KernelTargets(targets, new SimpleMeterRegistry(), (String) null);
            try {
                try (UserThread thread = with.get("sim").attach(machine, "with-token")) {
                    assertThat(thread.clockGettime(1).getRet()).isGreaterThanOrEqualTo(0);
                }
                assertThatThrownBy(() -> {
                    try (UserThread thread = without.get("sim").attach(machine, "without-token")) {
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
    }
}
