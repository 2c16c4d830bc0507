package io.testbed.gateway.experiment;

import io.testbed.gateway.common.Status;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadSpec;
import io.testbed.gateway.download.Policy;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.store.StoredJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A download's time split from its thread's kernel accounting: parts that sum to its life, client CPU by kind. */
class TimeSplitTest {
    private static final long MS = 1_000_000;

    /**
     * A thread born at 100 ms that ended at 1100 ms: running 300 ms (of it 120 ms userspace: 70 TLS, 30 pack;
     * 50 ms in the file system), ready 100, sleeping 400, blocked 50, in recvfrom's loop 100 ready + 50 running.
     */
    private static KernelStats.ThreadStat thread(String name, long tls, long pack) {
        // tls-client names the thread download-<id> and attaches it with its id as the owner
        String owner = name.startsWith("download-") ? name.substring("download-".length()) : "";
        return new KernelStats.ThreadStat(9, name, "user", "TERMINATED", 300 * MS, 40, 20, 120 * MS, 100 * MS, 300 * MS,
                400 * MS, 50 * MS, 0, 50 * MS, 100 * MS, 1100 * MS, 100 * MS, 50 * MS, tls, pack, owner);
    }

    @Test
    void theParts_sumToTheThreadsLife_andTheClientCpuKinds_toItsCpu() {
        TimeSplit t = TimeSplit.of(thread("download-a", 70 * MS, 30 * MS), 5_000 * MS);

        assertThat(t.total()).isEqualTo(1.0); // ended - born, not the stats' time
        assertThat(Arrays.stream(TimeSplit.Part.values()).mapToDouble(p -> p.of(t)).sum()).isCloseTo(t.total(), within(1e-12));
        assertThat(t.clientCpu()).isEqualTo(0.120);
        assertThat(t.clientCpuTls()).isEqualTo(0.070);
        assertThat(t.clientCpuPack()).isEqualTo(0.030);
        assertThat(t.clientCpuOther()).isCloseTo(0.020, within(1e-12));
        assertThat(t.clientCpuTls() + t.clientCpuPack() + t.clientCpuOther()).isCloseTo(t.clientCpu(), within(1e-15));
        assertThat(t.fileIo()).isEqualTo(0.050);
        assertThat(t.kernel()).isEqualTo(0.130);
        assertThat(t.networkReady()).isEqualTo(0.100);
        assertThat(t.networkSpin()).isEqualTo(0.050);
        assertThat(t.parts()).containsKeys("client CPU: TLS", "client CPU: pack", "client CPU: other")
                .doesNotContainKey("client CPU");
        // the CSV: client CPU in all, then each part, then the total
        assertThat(TimeSplit.COLUMNS).startsWith("t_client_cpu_s", "t_client_cpu_tls_s", "t_client_cpu_pack_s", "t_client_cpu_other_s")
                .endsWith("t_total_s").hasSize(TimeSplit.Part.values().length + 2);
        assertThat(t.values()).hasSize(TimeSplit.COLUMNS.size());
        assertThat(t.values()[0]).isEqualTo(0.120);
        assertThat(t.values()[1]).isEqualTo(0.070);
    }

    @Test
    void aKernelThatGivesNoKinds_leavesAllTheClientCpuOther() {
        TimeSplit t = TimeSplit.of(thread("download-a", 0, 0), 0);
        assertThat(t.clientCpuOther()).isEqualTo(t.clientCpu()).isEqualTo(0.120);
        assertThat(t.clientCpuTls()).isZero();
        // and a result stored before the kinds reads back the same way
        TimeSplit old = StoredJson.read("{\"clientCpu\":0.5,\"fileIo\":0.1,\"kernel\":0,\"sleeping\":0,\"ready\":0,"
                + "\"networkSpin\":0,\"networkReady\":0,\"networkBlocked\":0,\"offCpu\":0,\"total\":0.6}", TimeSplit.class);
        assertThat(old.clientCpuOther()).isEqualTo(0.5);
        assertThat(old.clientCpuTls()).isZero();
    }

    @Test
    void theCommittedReport_fromBeforeTheKinds_stillReads_withItsClientCpuAsOther() {
        java.nio.file.Path reports = java.nio.file.Path.of("..", "reports").toAbsolutePath().normalize();
        io.testbed.gateway.reproduction.Report r = new io.testbed.gateway.reproduction.CommittedReport(reports.toString()).report()
                .orElseThrow(() -> new AssertionError("reports/reproduction.json did not read"));
        List<TimeSplit> splits = r.configurations().stream().map(io.testbed.gateway.reproduction.Report.Configuration::time)
                .filter(java.util.Objects::nonNull).toList();
        assertThat(splits).isNotEmpty();
        for (TimeSplit t : splits) {
            assertThat(t.clientCpuTls() + t.clientCpuPack() + t.clientCpuOther()).isCloseTo(t.clientCpu(), within(1e-12));
        }
    }

    @Test
    void kindsBeyondTheUserspaceTime_areCappedToIt() {
        TimeSplit t = TimeSplit.of(thread("download-a", 100 * MS, 100 * MS), 0);
        assertThat(t.clientCpuTls()).isEqualTo(0.100);
        assertThat(t.clientCpuPack()).isCloseTo(0.020, within(1e-12));
        assertThat(t.clientCpuOther()).isCloseTo(0, within(1e-12));
    }

    @Test
    void theMeanOfSplitsWithNoOtherCpu_hasNoneLeft_notARoundingResidue() {
        // three runs whose client CPU is all TLS and pack (the modelled CPU): the means taken part by part left
        // -0.000 s of "other" in the 18:19 report
        List<TimeSplit> runs = List.of(
                new TimeSplit(0.9847792, 0.7313011, 0.2534781, 729.94, 0.54, 44.93, 95.84, 2.57, 9.69, 0, 0, 884.49),
                new TimeSplit(0.9847793, 0.7313012, 0.2534781, 729.94, 0.54, 44.93, 95.84, 2.57, 9.69, 0, 0, 884.49),
                new TimeSplit(0.9847791, 0.7313010, 0.2534781, 729.94, 0.54, 44.93, 95.84, 2.57, 9.69, 0, 0, 884.49));
        runs.forEach(r -> assertThat(r.clientCpuOther()).isZero());
        TimeSplit mean = TimeSplit.mean(runs);
        assertThat(mean.clientCpuOther()).isZero();
        assertThat(mean.parts().get("client CPU: other")).isZero();
    }

    @Test
    void theJson_carriesEachKind_andReadsBack() {
        TimeSplit t = TimeSplit.of(thread("download-a", 70 * MS, 30 * MS), 0);
        String json = StoredJson.write(t);
        assertThat(json).contains("\"clientCpuTls\":0.07", "\"clientCpuPack\":0.03", "\"clientCpuOther\":", "\"clientCpu\":0.12");
        assertThat(StoredJson.read(json, TimeSplit.class)).isEqualTo(t);
    }

    @Test
    void aDownloadsThreads_areFoundByItsId_andAddedUp() {
        KernelStats stats = new KernelStats(2_000 * MS, Map.of(), List.of(thread("download-tc-a", 70 * MS, 30 * MS),
                thread("download-tc-a", 10 * MS, 0), thread("download-tc-b", 0, 0),
                new KernelStats.ThreadStat(1, "net", "network", "RUNNING", 5, 1, 1)));
        TimeSplit a = TimeSplit.ofDownload("tc-a", stats);
        assertThat(a.total()).isEqualTo(2.0);
        assertThat(a.clientCpuTls()).isCloseTo(0.080, within(1e-12));
        assertThat(TimeSplit.ofDownload("tc-c", stats)).isNull();
        assertThat(TimeSplit.ofDownloads(List.of("tc-a", "tc-b"), stats)).containsOnlyKeys("tc-a", "tc-b");
    }

    @Test
    void aDownloadsThread_isFoundByItsExactId_notByAnIdThatStartsWithIt_withOrWithoutItsReplica() {
        KernelStats stats = new KernelStats(2_000 * MS, Map.of(), List.of(thread("download-tc-10", 70 * MS, 30 * MS)));
        assertThat(TimeSplit.ofDownload("tc-1", stats)).isNull();
        assertThat(TimeSplit.ofDownload("tc-10", stats)).isNotNull();
        assertThat(TimeSplit.ofDownload("tc-10@10.0.0.7:8081", stats)).isNotNull();
    }

    @Test
    void aDownloadsThread_isFoundByItsOwner_notByItsName() {
        KernelStats.ThreadStat named = thread("download-tc-1", 70 * MS, 30 * MS);
        KernelStats.ThreadStat foreign = new KernelStats.ThreadStat(named.tid(), named.name(), named.kind(),
                named.state(), named.cpuNs(), named.slots(), named.switchesIn(), named.userCpuNs(), named.readyNs(),
                named.runningNs(), named.sleepingNs(), named.ioWaitNs(), named.offCpuNs(), named.fsNs(), named.bornNs(),
                named.endedNs(), named.pollReadyNs(), named.pollRunningNs(), named.userCpuTlsNs(), named.userCpuPackNs(),
                "tc-2");
        KernelStats.ThreadStat unnamed = new KernelStats.ThreadStat(named.tid(), "user", named.kind(),
                named.state(), named.cpuNs(), named.slots(), named.switchesIn(), named.userCpuNs(), named.readyNs(),
                named.runningNs(), named.sleepingNs(), named.ioWaitNs(), named.offCpuNs(), named.fsNs(), named.bornNs(),
                named.endedNs(), named.pollReadyNs(), named.pollRunningNs(), named.userCpuTlsNs(), named.userCpuPackNs(),
                "tc-1");
        assertThat(TimeSplit.ofDownload("tc-1", new KernelStats(2_000 * MS, Map.of(), List.of(foreign)))).isNull();
        assertThat(TimeSplit.ofDownload("tc-2", new KernelStats(2_000 * MS, Map.of(), List.of(foreign)))).isNotNull();
        assertThat(TimeSplit.ofDownload("tc-1", new KernelStats(2_000 * MS, Map.of(), List.of(unnamed)))).isNotNull();
    }

    @Test
    void theMetric_getsOneSamplePerComponentAndFinishedDownload() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DownloadTimeMetrics metrics = new DownloadTimeMetrics();
        metrics.bindTo(registry);
        assertThat(registry.find("gateway.download.time").summaries())
                .hasSize(TimeSplit.Part.values().length * DownloadTimeMetrics.SOURCES.size());

        KernelStats stats = new KernelStats(2_000 * MS, Map.of(), List.of(thread("download-tc-1", 70 * MS, 30 * MS)));
        Download d = new Download("dl-1", Status.SUCCEEDED, new DownloadSpec("default", "pack-256k", "bc",
                new Policy("sleep", 1, null), "virtual", "", Map.of(), 1), "m-1", true, "tc-1", Instant.EPOCH, Instant.EPOCH,
                null, stats, null);
        metrics.ended(d);
        metrics.record(DownloadTimeMetrics.EXPERIMENT, TimeSplit.of(thread("x", 0, 0), 0));

        DistributionSummary tls = registry.get("gateway.download.time").tags("component", "client_cpu_tls", "source", "download").summary();
        assertThat(tls.count()).isEqualTo(1);
        assertThat(tls.totalAmount()).isEqualTo(0.070);
        double all = registry.find("gateway.download.time").tag("source", "download").summaries().stream()
                .mapToDouble(DistributionSummary::totalAmount).sum();
        assertThat(all).isCloseTo(1.0, within(1e-9));
        assertThat(registry.get("gateway.download.time").tags("component", "client_cpu_other", "source", "experiment").summary()
                .totalAmount()).isEqualTo(0.120);
        assertThatThrownBy(() -> metrics.record("nightly", TimeSplit.of(thread("x", 0, 0), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown source 'nightly'");
    }
}
