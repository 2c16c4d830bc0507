package io.testbed.tls.client.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.Downloader;
import io.testbed.tls.client.download.FailureReason;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The tls-client metrics")
class TlsClientMetricsTest {

    @Test
    @DisplayName("are registered at zero at start for every client, policy, outcome and failure reason")
    void bind_registersEveryKnownSeriesAtZero() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        new TlsClientMetrics().bindTo(reg);

        for (String client : io.testbed.tls.client.download.Clients.names()) {
            assertThat(reg.get("tls.client.handshake").tag("client", client).timer().count()).isZero();
            for (String policy : WouldBlockPolicies.names()) {
                for (String counter : List.of("tls.client.bytes", "tls.client.tls.bytes", "tls.client.tls.records",
                        "tls.client.reads", "tls.client.would.blocks", "tls.client.sleep")) {
                    assertThat(reg.get(counter).tags("client", client, "policy", policy).counter().count()).as(counter).isZero();
                }
                assertThat(reg.get("tls.client.throughput").tags("client", client, "policy", policy).summary().count()).isZero();
                for (String outcome : List.of("succeeded", "failed")) {
                    assertThat(reg.get("tls.client.download.duration").tags("client", client, "policy", policy, "outcome", outcome)
                            .timer().count()).isZero();
                }
            }
            assertThat(reg.get("tls.client.downloads").tags("client", client, "outcome", "failed").counter().count()).isZero();
        }
        for (String reason : FailureReason.ALL) {
            assertThat(reg.get("tls.client.failures").tag("reason", reason).counter().count()).isZero();
        }
        int n = io.testbed.tls.client.download.Clients.names().size();
        int p = WouldBlockPolicies.names().size();
        assertThat(reg.find("tls.client.bytes").counters()).hasSize(n * p);
        assertThat(reg.find("tls.client.failures").counters()).hasSize(FailureReason.ALL.size());
    }

    @Test
    @DisplayName("count bytes while a download runs, time every handshake and record the speed at each progress report")
    void download_countedLive_handshakeAndThroughputRecorded() throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        TlsClientMetrics metrics = new TlsClientMetrics();
        metrics.bindTo(reg);
        SimulatedMachines sim = SimulatedMachines.get();
        String m = sim.create(SimulatedMachines.AKUMA, Map.of());
        try {
            DownloadProgress progress = new DownloadProgress(new IoStats(metrics.live("bc", "sleep")));
            List<Double> bytesDuring = new CopyOnWriteArrayList<>();
            progress.addListener(s -> bytesDuring.add(reg.get("tls.client.bytes").tags("client", "bc", "policy", "sleep").counter().count()));
            DownloadPlan plan = new DownloadPlan("metrics", m, "pack-256k", "git.testbed", 443, TlsEngines.get("bc"),
                    new TlsSettings("git.testbed", ServerVerifier.fromCaFile(sim.git().caFile()), null, null),
                    WouldBlockPolicies.create(PolicySpec.sleep(1, 5000)), 4096, FetchOptions.defaults("testbed-test/1"));
            DownloadResult r = Downloader.run(sim.kernel(), plan, progress);
            metrics.record("bc", "sleep", r);

            assertThat(r.error()).isNull();
            assertThat(bytesDuring.get(0)).as("pack bytes counted at the first progress report").isGreaterThanOrEqualTo(65536);
            assertThat(counter(reg, "tls.client.bytes")).isEqualTo(r.bytes());
            assertThat(counter(reg, "tls.client.tls.bytes")).isEqualTo(r.io().tlsBytes());
            assertThat(counter(reg, "tls.client.tls.records")).isEqualTo(r.io().tlsRecords());
            assertThat(counter(reg, "tls.client.reads")).isEqualTo(r.io().reads());
            assertThat(counter(reg, "tls.client.would.blocks")).isEqualTo(r.waits().wouldBlocks());
            assertThat(reg.get("tls.client.sleep").tags("client", "bc", "policy", "sleep").counter().count())
                    .isCloseTo(r.waits().sleepNs() / 1e9, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(reg.get("tls.client.handshake").tag("client", "bc").timer().count()).isEqualTo(r.io().connections());
            assertThat(reg.get("tls.client.handshake").tag("client", "bc").timer().max(java.util.concurrent.TimeUnit.NANOSECONDS))
                    .isGreaterThanOrEqualTo(r.timing().handshakeNs());
            DistributionSummary speed = reg.get("tls.client.throughput").tags("client", "bc", "policy", "sleep").summary();
            assertThat(speed.count()).isGreaterThanOrEqualTo(r.bytes() / 65536 - 1); // a report without time passing gives no speed
            assertThat(speed.max()).isPositive();
            assertThat(reg.get("tls.client.download.duration").tags("client", "bc", "policy", "sleep", "outcome", "succeeded")
                    .timer().count()).isEqualTo(1);
            assertThat(reg.get("tls.client.downloads").tags("client", "bc", "outcome", "succeeded").counter().count()).isEqualTo(1);
        } finally {
            sim.delete(m);
        }
    }

    private static long counter(SimpleMeterRegistry reg, String name) {
        return (long) reg.get(name).tags("client", "bc", "policy", "sleep").counter().count();
    }
}
