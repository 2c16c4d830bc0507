package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.SimFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network model against analysis over the dense grid of issue 12 (docs/MODEL.md "The network
 * against analysis"): 13 receive buffers × 5 latencies × 3 bandwidths with no window clamp ("open"),
 * the same with Akuma's clamp ("clamp"), and a few jitter rows. Every cell is asserted: within 5% of its
 * closed form ({@link TcpTheory}); a window of four or more segments may instead settle anywhere in the
 * band its rules guarantee ({@link TcpTheory#band}), since the sub-bursts slow start leaves may persist
 * (the CSV's {@code check} column says which held). Every cell's figures and trace hash are a golden
 * snapshot ({@code src/test/resources/golden/network-grid.csv}): a model timing change, or a run that does
 * not repeat, shows as a diff. After an intended model change: {@code -Dgolden.update=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkGridTest {
    static final int[] BUFFERS = {512, 1024, 1500, 2048, 3000, 4096, 8192, 12000, 16384, 20000, 24576, 32768, 65536};
    static final long[] LATENCIES_US = {500, 5_000, 20_000, 50_000, 100_000};
    static final long[] KBPS = {1_000, 100_000, GridCell.UNLIMITED_KBPS};
    static final long[] JITTER_US = {1_000, 5_000, 20_000};
    static final double ACK_DELAY_S = 0.010;
    static final double TOLERANCE = 0.05;
    private static final Path GOLDEN = Path.of("src/test/resources/golden/network-grid.csv");
    private SimFixture sim;

    @BeforeAll
    void setUp() {
        sim = SimFixture.withMemoryBulkServer(Duration.ofSeconds(60));
    }

    @AfterAll
    void tearDown() throws Exception {
        sim.close();
    }

    static List<GridCell> cells() {
        List<GridCell> cells = new ArrayList<>();
        for (String set : new String[]{"open", "clamp"}) {
            for (int b : BUFFERS) {
                for (long lat : LATENCIES_US) {
                    for (long kbps : KBPS) {
                        cells.add(new GridCell(set, b, lat, kbps, 0, 0, set.equals("clamp")));
                    }
                }
            }
        }
        for (int b : new int[]{4096, 65536}) {
            for (long j : JITTER_US) {
                cells.add(new GridCell("jitter", b, 20_000, 100_000, 0, j, false));
            }
        }
        return cells;
    }

    /** "point", "band" or "OFF" (outside both); jitter rows are shown, not checked against a closed form. */
    static String check(GridRunner.Outcome o) {
        if (o.cell().jitterUs() > 0) {
            return "shown";
        }
        if (Math.abs(o.ratio() - 1) <= TOLERANCE) {
            return "point";
        }
        GridCell c = o.cell();
        if (!c.clamp() && c.window() / 1460 >= 4) {
            double[] band = TcpTheory.band(c.window(), 1460, c.latencyUs() / 1e6, c.kbps() * 1000.0, GridRunner.WAKE_S);
            double v = o.result().steadyBps();
            if (v >= band[0] * (1 - TOLERANCE) && v <= band[1] * (1 + TOLERANCE)) {
                return "band";
            }
        }
        return "OFF";
    }

    static String csv(List<GridRunner.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("set,rx_buffer,latency_us,bandwidth_kbps,loss_ppm,jitter_us,window,regime,"
                + "theory_Bps,model_Bps,ratio,check,retransmits,trace_hash\n");
        for (GridRunner.Outcome o : outcomes) {
            sb.append(String.format("%s,%d,%s,%.0f,%.0f,%.3f,%s,%d,%d%n", o.cell().key(), o.cell().window(), o.theory().regime(),
                    o.theory().bytesPerSecond(), o.result().steadyBps(), o.ratio(), check(o),
                    o.result().counter("retransmits_remote") + o.result().counter("retransmits_local"), o.result().traceHash()));
        }
        return sb.toString();
    }

    @Test
    @DisplayName("every cell within 5% of its closed form (or, for windows of 4+ segments, in its rule band); golden figures and trace hashes")
    void grid_matchesTheory_andRepeats() throws Exception {
        long t0 = System.nanoTime();
        List<GridCell> cells = cells();
        List<GridRunner.Outcome> outcomes = GridRunner.run(sim, cells, ACK_DELAY_S, 1, Integer.getInteger("grid.threads", 4));
        String csv = csv(outcomes);
        System.out.print(csv);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        List<String> off = new ArrayList<>();
        int band = 0;
        for (GridRunner.Outcome o : outcomes) {
            String c = check(o);
            band += c.equals("band") ? 1 : 0;
            if (c.equals("OFF")) {
                off.add(String.format("%s %s: model %.0f B/s, theory %.0f B/s (%.3f)", o.cell().key(), o.theory().regime(),
                        o.result().steadyBps(), o.theory().bytesPerSecond(), o.ratio()));
            }
        }
        System.out.printf("grid: %d cells in %d ms; %d in their band only; %d off%n%s%n", outcomes.size(), ms, band, off.size(),
                String.join("\n", off));
        assertThat(off).as("cells outside 5%% of theory and outside their band").isEmpty();
        for (GridRunner.Outcome o : outcomes) {
            if (o.cell().jitterUs() == 0) {
                assertThat(o.result().counter("retransmits_remote") + o.result().counter("segments_lost"))
                        .as("lossless cell %s retransmits nothing", o.cell().key()).isZero();
            }
        }
        if (!Files.exists(GOLDEN) || Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, csv, StandardCharsets.UTF_8);
        }
        assertThat(csv).as("golden snapshot %s (re-run with -Dgolden.update=true after an intended model change)", GOLDEN)
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("same seed, same trace hash: a second run of a spread of cells repeats the first exactly")
    void sameSeed_sameTraceHash() throws Exception {
        List<GridCell> some = new ArrayList<>();
        for (GridCell c : cells()) {
            if (c.latencyUs() == 5_000 || c.jitterUs() > 0) {
                some.add(c);
            }
        }
        some = some.subList(0, Math.min(some.size(), 12));
        List<GridRunner.Outcome> a = GridRunner.run(sim, some, ACK_DELAY_S, 7, 4);
        List<GridRunner.Outcome> b = GridRunner.run(sim, some, ACK_DELAY_S, 7, 4);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).result().traceHash()).as("trace hash of %s", some.get(i).key()).isEqualTo(a.get(i).result().traceHash());
            assertThat(b.get(i).result().lastNs()).as("last byte of %s", some.get(i).key()).isEqualTo(a.get(i).result().lastNs());
        }
    }
}
