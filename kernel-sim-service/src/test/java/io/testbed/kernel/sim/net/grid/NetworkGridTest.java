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
 * The network model against analysis over the dense grid of issue 12: every cell's steady-state
 * throughput within 5% of its closed form ({@link TcpTheory}). The figures and trace hashes are a
 * golden snapshot ({@code src/test/resources/golden/network-grid.csv}): a change to the model's timing
 * shows as a diff; re-run with {@code -Dgolden.update=true} after an intended change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkGridTest {
    static final int[] BUFFERS = {512, 1024, 1500, 2048, 3000, 4096, 8192, 12000, 16384, 20000, 24576, 32768, 65536};
    static final long[] LATENCIES_US = {500, 5_000, 20_000, 50_000, 100_000};
    static final long[] KBPS = {1_000, 100_000, GridCell.UNLIMITED_KBPS};
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

    static List<GridCell> lossless() {
        List<GridCell> cells = new ArrayList<>();
        for (int b : BUFFERS) {
            for (long lat : LATENCIES_US) {
                for (long kbps : KBPS) {
                    cells.add(new GridCell("open", b, lat, kbps, 0, 0, false));
                }
            }
        }
        return cells;
    }

    static String csv(List<GridRunner.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("set,rx_buffer,latency_us,bandwidth_kbps,loss_ppm,jitter_us,window,regime,theory_Bps,model_Bps,ratio,retransmits,trace_hash\n");
        for (GridRunner.Outcome o : outcomes) {
            sb.append(String.format("%s,%d,%s,%.0f,%.0f,%.3f,%d,%d%n", o.cell().key(), o.cell().window(), o.theory().regime(),
                    o.theory().bytesPerSecond(), o.result().steadyBps(), o.ratio(),
                    o.result().counter("retransmits_remote") + o.result().counter("retransmits_local"), o.result().traceHash()));
        }
        return sb.toString();
    }

    @Test
    @DisplayName("every lossless cell within 5% of min(bandwidth, window/RTT) or its delayed-ACK closed form")
    void losslessGrid_matchesTheory() throws Exception {
        long t0 = System.nanoTime();
        List<GridRunner.Outcome> outcomes = GridRunner.run(sim, lossless(), ACK_DELAY_S, 1, Integer.getInteger("grid.threads", 3));
        String csv = csv(outcomes);
        System.out.print(csv);
        System.out.printf("grid: %d cells in %d ms%n", outcomes.size(), (System.nanoTime() - t0) / 1_000_000);
        List<String> off = new ArrayList<>();
        for (GridRunner.Outcome o : outcomes) {
            if (Math.abs(o.ratio() - 1) > TOLERANCE) {
                off.add(String.format("%s %s: model %.0f B/s, theory %.0f B/s (%.3f)", o.cell().key(), o.theory().regime(),
                        o.result().steadyBps(), o.theory().bytesPerSecond(), o.ratio()));
            }
        }
        System.out.println("cells off: " + off.size() + "\n" + String.join("\n", off));
        assertThat(off).as("cells more than 5%% from theory").isEmpty();
    }
}
