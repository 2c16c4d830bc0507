package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.SimFixture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs grid cells on a few threads (each cell is its own machine with its own engine thread, so the
 * results do not depend on the interleaving) and sizes each transfer so the measured part spans at
 * least 24 round trips (or 150 segment times on the link), after a third of the bytes for slow start.
 */
public final class GridRunner {
    /** The measured part starts once this fraction of the bytes has arrived. */
    public static final double SKIP = 1.0 / 3;

    private GridRunner() {
    }

    /** A cell, its prediction and what the model did. */
    public record Outcome(GridCell cell, TcpTheory.Prediction theory, BulkTransfer.Result result) {
        public double ratio() {
            return result.steadyBps() / theory.bytesPerSecond();
        }
    }

    /** Bytes to transfer for a cell with this prediction. */
    public static long bytesFor(GridCell c, TcpTheory.Prediction p, double ackDelayS) {
        double cycle = p.rttS() + (p.regime() == TcpTheory.Regime.SLOW || p.regime() == TcpTheory.Regime.DELAYED_ACK ? ackDelayS : 0);
        double segTime = TcpTheory.wire(1460) * 8.0 / (c.kbps() * 1000.0);
        double span = Math.max(10 * cycle, 60 * segTime);
        long n = (long) Math.ceil(p.bytesPerSecond() * span / (1 - SKIP));
        return Math.max(16 * 1024, Math.min(n, 8L << 20));
    }

    /** The reader's wake-up in the grid's machines: a scheduler pass and a context switch (defaults). */
    public static final double WAKE_S = 7e-6;

    public static TcpTheory.Prediction predict(GridCell c, double ackDelayS) {
        if (c.clamp()) {
            return TcpTheory.clamped(c.buffer(), c.window(), 1460, c.latencyUs() / 1e6, c.kbps() * 1000.0, ackDelayS, WAKE_S);
        }
        return TcpTheory.predict(c.window(), 1460, c.latencyUs() / 1e6, c.kbps() * 1000.0, ackDelayS, WAKE_S);
    }

    public static List<Outcome> run(SimFixture sim, List<GridCell> cells, double ackDelayS, long seed, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (GridCell c : cells) {
                TcpTheory.Prediction p = predict(c, ackDelayS);
                long n = bytesFor(c, p, ackDelayS);
                futures.add(pool.submit(() -> new Outcome(c, p, BulkTransfer.run(sim, c.overrides(), n, seed, SKIP))));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
