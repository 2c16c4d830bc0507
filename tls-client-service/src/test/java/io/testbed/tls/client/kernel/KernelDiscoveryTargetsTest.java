package io.testbed.tls.client.kernel;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.tls.client.config.TestbedProperties;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20: with {@code testbed.kernel-discovery.dns}, a download may name a kernel {@code address:port} that the
 * name resolves to (how the gateway names the kernels it discovered), and no other address.
 */
class KernelDiscoveryTargetsTest {

    private static final String NAME = "kernel-sim-headless.testbed.svc.cluster.local";

    @Test
    void aDiscoveredAddressIsAccepted_anUnlistedOneIsNot_andOneThatLeftTakesNoNewDownload() throws Exception {
        AtomicReference<List<String>> answer = new AtomicReference<>(List.of("10.0.0.7:50051"));
        AtomicInteger lookups = new AtomicInteger();
        KernelDiscovery.Resolver fake = (name, port) -> {
            lookups.incrementAndGet();
            assertThat(name).isEqualTo(NAME);
            assertThat(port).isEqualTo(50051);
            if (answer.get() == null) {
                throw new UnknownHostException(name);
            }
            return answer.get();
        };
        KernelTargets targets = new KernelTargets(new TestbedProperties(Map.of("default", "127.0.0.1:50051"), null, null,
                new TestbedProperties.HostKernel(false, null), null), new SimpleMeterRegistry(),
                new KernelDiscovery(NAME, 50051, Duration.ofMinutes(1)), fake, null);
        try {
            // the channel is made lazily: a Kernel for a discovered address, nothing contacted yet
            assertThat(targets.get("10.0.0.7:50051")).isNotNull();
            assertThat(targets.get("default")).isNotNull();
            assertThatThrownBy(() -> targets.get("10.0.0.8:50051")).isInstanceOf(UnknownKernelException.class);
            assertThatThrownBy(() -> targets.get("169.254.169.254:80")).isInstanceOf(UnknownKernelException.class);

            // a new pod: a miss looks the name up again (at most every 100 ms)
            answer.set(List.of("10.0.0.7:50051", "10.0.0.8:50051"));
            Thread.sleep(150);
            assertThat(targets.get("10.0.0.8:50051")).isNotNull();

            // the first pod left the name: no new download on it (its channel stays for the ones running)
            answer.set(List.of("10.0.0.8:50051"));
            Thread.sleep(150);
            assertThatThrownBy(() -> targets.get("10.0.0.9:50051")).isInstanceOf(UnknownKernelException.class);
            int before = lookups.get();
            assertThat(targets.get("10.0.0.8:50051")).isNotNull();
            assertThat(lookups.get()).as("a cached hit looks nothing up").isEqualTo(before);
            answer.set(null);
            Thread.sleep(150);
            assertThatThrownBy(() -> targets.get("10.0.0.6:50051")).isInstanceOf(UnknownKernelException.class);
            assertThat(targets.get("default")).isNotNull();
        } finally {
            targets.destroy();
        }
    }

    @Test
    void withoutDiscovery_onlyTheStaticNames() {
        KernelTargets targets = new KernelTargets(new TestbedProperties(Map.of("default", "127.0.0.1:50051"), null, null,
                new TestbedProperties.HostKernel(false, null), null), new SimpleMeterRegistry(), (String) null);
        try {
            assertThatThrownBy(() -> targets.get("127.0.0.1:50051")).isInstanceOf(UnknownKernelException.class);
            assertThat(targets.get("default")).isNotNull();
        } finally {
            targets.destroy();
        }
    }
}
