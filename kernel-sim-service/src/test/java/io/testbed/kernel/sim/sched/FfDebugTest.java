package io.testbed.kernel.sim.sched;

import org.junit.jupiter.api.Test;
import java.util.*;

class FfDebugTest {
    @Test
    void firstDivergence() {
        FastForwardTest.Scenario s = FastForwardTest.scenarios().toList().get(Integer.getInteger("ffs", 0));
        List<long[]> off = new ArrayList<>();
        List<long[]> on = new ArrayList<>();
        FastForwardTest.DEBUG = off;
        FastForwardTest.run(s, false);
        FastForwardTest.DEBUG = on;
        FastForwardTest.run(s, true);
        FastForwardTest.DEBUG = null;
        int n = Math.min(on.size(), off.size());
        for (int i = 0; i < n; i++) {
            if (!Arrays.equals(on.get(i), off.get(i))) {
                System.out.println("DIVERGE at " + i);
                for (int j = Math.max(0, i - 30); j < Math.min(n, i + 5); j++) {
                    System.out.println(j + " off " + Arrays.toString(off.get(j)) + "  on " + Arrays.toString(on.get(j)));
                }
                return;
            }
        }
        System.out.println("no divergence in " + n + " sizes " + on.size() + " " + off.size());
    }
}
