package io.testbed.tls.client.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.FailureReason;
import io.testbed.tls.client.download.Clients;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.transport.IoListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The download metrics of this service. Tags are bounded: client and policy names (the registered
 * plug-ins), outcome (succeeded/failed) and failure reason ({@link FailureReason#ALL}); never a
 * download id, repository or machine. Durations are on the kernel's clock (simulated on kernel-sim).
 *
 * <p>Every meter is registered at start, at zero, for every known client, policy, outcome and
 * reason, so that Prometheus sees the first download as an increase. The byte, record, read,
 * would-block and sleep counters, the handshake timer and the throughput summary are fed while a
 * download runs ({@link #live}); the duration, the download count and the failures when it ends
 * ({@link #record}).
 */
@Component
public class TlsClientMetrics implements MeterBinder {
    static final List<String> OUTCOMES = List.of("succeeded", "failed");
    /** Throughput buckets, bytes per second: 16 KiB/s .. 64 MiB/s. */
    static final double[] THROUGHPUT_BUCKETS = {16 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024,
            1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024, 64 * 1024 * 1024};
    static final Duration[] HANDSHAKE_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private volatile MeterRegistry registry;
    private volatile IntSupplier active = () -> 0;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tls.client.downloads.active", () -> active.getAsInt())
                .description("Downloads running now")
                .register(registry);
        for (String client : Clients.names()) {
            handshake(registry, client);
            for (String outcome : OUTCOMES) {
                downloads(registry, client, outcome);
            }
            for (String policy : WouldBlockPolicies.names()) {
                live.put(key(client, policy), new Live(registry, client, policy));
                for (String outcome : OUTCOMES) {
                    duration(registry, client, policy, outcome);
                }
            }
        }
        for (String reason : FailureReason.ALL) {
            failures(registry, reason);
        }
    }

    public void activeDownloads(IntSupplier supplier) {
        this.active = supplier;
    }

    /**
     * The live counters of a download by this client and policy; {@link IoListener#NONE} before the
     * registry is bound. Names outside the registered plug-ins get meters made on demand (bounded
     * all the same: the service accepts registered names only).
     */
    public IoListener live(String client, String policy) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return IoListener.NONE;
        }
        return live.computeIfAbsent(key(client, policy), k -> new Live(reg, client, policy));
    }

    /** A download ended: its duration, its outcome and, if it failed, its reason. */
    public void record(String client, String policy, DownloadResult r) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        String outcome = r.succeeded() ? "succeeded" : "failed";
        duration(reg, client, policy, outcome).record(r.simulatedNs(), TimeUnit.NANOSECONDS);
        downloads(reg, client, outcome).increment();
        if (!r.succeeded()) {
            failures(reg, FailureReason.ALL.contains(r.reason()) ? r.reason() : "other").increment();
        }
    }

    private static String key(String client, String policy) {
        return client + '\u0000' + policy;
    }

    private static Timer duration(MeterRegistry reg, String client, String policy, String outcome) {
        return Timer.builder("tls.client.download.duration").description("Download duration in simulated time")
                .tags("client", client, "policy", policy, "outcome", outcome).register(reg);
    }

    private static Counter downloads(MeterRegistry reg, String client, String outcome) {
        return Counter.builder("tls.client.downloads").description("Downloads finished")
                .tags("client", client, "outcome", outcome).register(reg);
    }

    private static Counter failures(MeterRegistry reg, String reason) {
        return Counter.builder("tls.client.failures").description("Failed downloads by reason")
                .tags("reason", reason).register(reg);
    }

    private static Timer handshake(MeterRegistry reg, String client) {
        return Timer.builder("tls.client.handshake")
                .description("TLS handshake time in simulated time, from connect's return to the handshake's last syscall")
                .tags("client", client).serviceLevelObjectives(HANDSHAKE_BUCKETS).register(reg);
    }

    /** The meters one client x policy pair feeds while its downloads run. */
    private static final class Live implements IoListener {
        private final Counter bytes;
        private final Counter tlsBytes;
        private final Counter records;
        private final Counter reads;
        private final Counter wouldBlocks;
        private final Counter sleep;
        private final Timer handshake;
        private final DistributionSummary throughput;

        Live(MeterRegistry reg, String client, String policy) {
            bytes = Counter.builder("tls.client.bytes").description("Pack bytes received")
                    .baseUnit("bytes").tags("client", client, "policy", policy).register(reg);
            tlsBytes = Counter.builder("tls.client.tls.bytes").description("TLS bytes received from the socket")
                    .baseUnit("bytes").tags("client", client, "policy", policy).register(reg);
            records = Counter.builder("tls.client.tls.records").description("TLS records received")
                    .baseUnit("records").tags("client", client, "policy", policy).register(reg);
            reads = Counter.builder("tls.client.reads").description("recvfrom calls that returned data or end of stream")
                    .baseUnit("calls").tags("client", client, "policy", policy).register(reg);
            wouldBlocks = Counter.builder("tls.client.would.blocks").description("Socket calls that returned EAGAIN")
                    .baseUnit("calls").tags("client", client, "policy", policy).register(reg);
            sleep = Counter.builder("tls.client.sleep").description("Simulated time slept in nanosleep on EAGAIN")
                    .baseUnit("seconds").tags("client", client, "policy", policy).register(reg);
            handshake = TlsClientMetrics.handshake(reg, client);
            throughput = DistributionSummary.builder("tls.client.throughput")
                    .description("Instantaneous download speed at each 64 KiB progress report, bytes per simulated second")
                    .baseUnit("bytes.per.second").tags("client", client, "policy", policy)
                    .serviceLevelObjectives(THROUGHPUT_BUCKETS).register(reg);
        }

        @Override
        public void read(int n) {
            reads.increment();
            if (n > 0) {
                tlsBytes.increment(n);
            }
        }

        @Override
        public void wouldBlock() {
            wouldBlocks.increment();
        }

        @Override
        public void slept(long sleptNs) {
            sleep.increment(sleptNs / 1e9);
        }

        @Override
        public void tlsRecord() {
            records.increment();
        }

        @Override
        public void handshake(long ns) {
            handshake.record(ns, TimeUnit.NANOSECONDS);
        }

        @Override
        public void packBytes(long n) {
            bytes.increment(n);
        }

        @Override
        public void throughput(double bytesPerSecond) {
            throughput.record(bytesPerSecond);
        }
    }
}
