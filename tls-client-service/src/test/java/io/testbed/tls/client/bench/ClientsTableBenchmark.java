package io.testbed.tls.client.bench;

import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.Downloader;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of docs/CLIENTS.md: simulated download time of pack-4m on akuma-2026-01-31 (virtual
 * clock, seed 1, a fresh machine per download) for every engine and would-block policy. Not part of
 * the normal suite; run it with
 * <pre>
 * ./mvnw -q -pl tls-client-service test -Dtest=ClientsTableBenchmark -Dtestbed.benchmark=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Each engine first downloads once, discarded (warm-up). It prints the table and writes it (and every figure, as CSV) to {@code target/clients-table.md}
 * and {@code target/clients-table.csv}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "testbed.benchmark", matches = "true")
class ClientsTableBenchmark {
    static final String REPO = "pack-4m";

    record Column(String title, PolicySpec policy, Map<String, String> overrides) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("sleep 10 ms", PolicySpec.sleep(10, 500), Map.of()),
            new Column("sleep 1 ms", PolicySpec.sleep(1, 5000), Map.of()),
            new Column("yield", PolicySpec.of("yield"), Map.of()),
            new Column("backoff 1..10 ms x2", PolicySpec.backoff(1, 10, 2.0), Map.of()),
            new Column("blocking (irq-wakeup)", PolicySpec.of("blocking"), Map.of("net.poll_mode", "irq-wakeup")),
            new Column("blocking (Akuma's polling)", PolicySpec.of("blocking"), Map.of()));

    @Test
    void pack4m_everyEngineAndPolicy() throws IOException {
        SimulatedMachines sim = SimulatedMachines.get();
        ServerVerifier ca = ServerVerifier.fromCaFile(sim.git().caFile());
        StringBuilder csv = new StringBuilder("engine,policy,overrides,status,simulatedNs,handshakeNs,bytes,tlsRecords,"
                + "reads,bytesPerRead,wouldBlocks,sleeps,sleepNs,syscalls,wallNs\n");
        Map<String, Map<String, DownloadResult>> table = new LinkedHashMap<>();
        // warm-up, discarded: a cold in-process server (JIT, first read of the pack) may pause longer
        // than the kernel's upstream.quiet_ms mid-response, and such a pause changes simulated timings
        for (String engine : TlsEngines.names()) {
            String machine = sim.create(SimulatedMachines.AKUMA, Map.of());
            try {
                Downloader.run(sim.kernel(), new DownloadPlan("warm-up", machine, REPO, "git.testbed", 443,
                        TlsEngines.get(engine), new TlsSettings("git.testbed", ca, null, null),
                        WouldBlockPolicies.create(PolicySpec.of("yield")), 4096, FetchOptions.defaults("testbed-bench/1")),
                        new DownloadProgress(new IoStats()));
            } finally {
                sim.delete(machine);
            }
        }
        for (String engine : TlsEngines.names()) {
            for (Column c : COLUMNS) {
                String machine = sim.create(SimulatedMachines.AKUMA, c.overrides());
                DownloadResult r;
                try {
                    DownloadPlan plan = new DownloadPlan("bench-" + engine, machine, REPO, "git.testbed", 443,
                            TlsEngines.get(engine), new TlsSettings("git.testbed", ca, null, null),
                            WouldBlockPolicies.create(c.policy()), 4096, FetchOptions.defaults("testbed-bench/1"));
                    r = Downloader.run(sim.kernel(), plan, new DownloadProgress(new IoStats()));
                } finally {
                    sim.delete(machine);
                }
                assertThat(r.error()).as(engine + " " + c.title()).isNull();
                table.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(c.title(), r);
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%d,%d,%d,%.1f,%d,%d,%d,%d,%d%n", engine,
                        c.title(), c.overrides().toString().replace(',', ';'), r.status(), r.simulatedNs(), r.timing().handshakeNs(),
                        r.bytes(), r.io().tlsRecords(), r.io().reads(), r.io().bytesPerRead(), r.waits().wouldBlocks(), r.waits().sleeps(), r.waits().sleepNs(),
                        r.io().syscalls(), r.timing().wallNs()));
                System.out.printf(Locale.ROOT, "%-9s %-26s %8.3f s  would-blocks %5d  sleeps %5d  wall %.1f s%n", engine,
                        c.title(), r.simulatedNs() / 1e9, r.waits().wouldBlocks(), r.waits().sleeps(), r.timing().wallNs() / 1e9);
            }
        }
        StringBuilder md = new StringBuilder("| engine |");
        COLUMNS.forEach(c -> md.append(' ').append(c.title()).append(" |"));
        md.append("\n|---|");
        COLUMNS.forEach(c -> md.append("---:|"));
        md.append('\n');
        table.forEach((engine, row) -> {
            md.append("| `").append(engine).append("` |");
            row.values().forEach(r -> md.append(String.format(Locale.ROOT, " %.3f s |", r.simulatedNs() / 1e9)));
            md.append('\n');
        });
        System.out.println(md);
        Files.writeString(Path.of("target", "clients-table.md"), md.toString());
        Files.writeString(Path.of("target", "clients-table.csv"), csv.toString());
    }
}
