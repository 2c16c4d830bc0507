package io.testbed.tls.client.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.FailureReason;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The download metrics of this service. Tags are bounded: client and policy names (registered
 * plug-ins), outcome (succeeded/failed) and failure reason ({@link FailureReason#ALL}); never a
 * download id, repository or machine. Durations are simulated time (the kernel's clock).
 */
@Component
public class TlsClientMetrics implements MeterBinder {
    private volatile MeterRegistry registry;
    private volatile IntSupplier active = () -> 0;

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tls.client.downloads.active", () -> active.getAsInt())
                .description("Downloads running now")
                .register(registry);
    }

    public void activeDownloads(IntSupplier supplier) {
        this.active = supplier;
    }

    public void record(String client, String policy, DownloadResult r) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        String outcome = r.succeeded() ? "succeeded" : "failed";
        Counter.builder("tls.client.bytes").description("Pack bytes received")
                .baseUnit("bytes").tags("client", client, "policy", policy).register(reg).increment(r.bytes());
        Counter.builder("tls.client.tls.bytes").description("TLS bytes received from the socket")
                .baseUnit("bytes").tags("client", client, "policy", policy).register(reg).increment(r.tlsBytes());
        Counter.builder("tls.client.tls.records").description("TLS records received")
                .baseUnit("records").tags("client", client, "policy", policy).register(reg).increment(r.tlsRecords());
        Counter.builder("tls.client.reads").description("recvfrom calls that returned data or end of stream")
                .baseUnit("calls").tags("client", client, "policy", policy).register(reg).increment(r.reads());
        Counter.builder("tls.client.would.blocks").description("Socket calls that returned EAGAIN")
                .baseUnit("calls").tags("client", client, "policy", policy).register(reg).increment(r.wouldBlocks());
        Counter.builder("tls.client.sleep").description("Simulated time slept in nanosleep on EAGAIN")
                .baseUnit("seconds").tags("client", client, "policy", policy).register(reg).increment(r.sleepNs() / 1e9);
        Timer.builder("tls.client.download.duration").description("Download duration in simulated time")
                .tags("client", client, "policy", policy, "outcome", outcome).register(reg)
                .record(r.simulatedNs(), TimeUnit.NANOSECONDS);
        Counter.builder("tls.client.downloads").description("Downloads finished")
                .tags("client", client, "outcome", outcome).register(reg).increment();
        if (!r.succeeded()) {
            String reason = FailureReason.ALL.contains(r.reason()) ? r.reason() : "other";
            Counter.builder("tls.client.failures").description("Failed downloads by reason")
                    .tags("reason", reason).register(reg).increment();
        }
    }
}
