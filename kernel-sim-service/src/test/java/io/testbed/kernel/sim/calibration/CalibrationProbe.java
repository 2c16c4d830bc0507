package io.testbed.kernel.sim.calibration;

import org.junit.jupiter.api.Test;

class CalibrationProbe {
    @Test
    void probe() {
        long t0 = System.nanoTime();
        System.out.println("fit " + Calibration.fit() + String.format(" took %.1f s", (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        for (Calibration.Result r : Calibration.runAll(References.all(), Calibration.Parameters.fitted())) {
            System.out.printf("%s model %.2f measured %.2f ratio %.3f%n", r.reference().id(), r.figure(), r.reference().measured(), r.ratio());
        }
        System.out.printf("took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        System.out.printf("download %.2f s (took %.1f s)%n", Calibration.download4MiB(Calibration.Parameters.fitted()), (System.nanoTime() - t0) / 1e9);
    }
}
