package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.SimFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

class ProbeTest {
    @Test
    void probe() throws Exception {
        try (SimFixture sim = SimFixture.withMemoryBulkServer(Duration.ofSeconds(5))) {
            long t0 = System.nanoTime();
            long segs = 0;
            for (int b : new int[]{Integer.getInteger("probe.b", 65536)}) {
                for (long lat : new long[]{500, 20000}) {
                    for (long kbps : new long[]{1000, 100_000, 100_000_000}) {
                        for (boolean zero : new boolean[]{true, false}) {
                            Map<String, String> o = new HashMap<>();
                            o.put("socket.rx_buffer", "" + b);
                            o.put("syscall.recv_cap", "65536");
                            o.put("link.latency_us", "" + lat);
                            o.put("link.bandwidth_kbps", "" + kbps);
                            o.put("net.poll_mode", "irq-wakeup");
                            o.put("nic.rx_buffers", "256");
                            o.put("nic.queue", "4096");
                            o.put("remote.window", "1048576");
                            if (zero) {
                                for (String c : new String[]{"cost.syscall_ns", "cost.socket_check_ns", "cost.copy_per_kib_ns", "cost.poll_base_ns", "cost.poll_frame_ns"}) {
                                    o.put(c, "0");
                                }
                            }
                            double rtt = 2 * lat / 1e6 + (1514 + 60) * 8 / (kbps * 1000.0);
                            double bw = kbps * 1000.0 / 8 * 1460 / 1514;
                            double win = b / rtt;
                            double th = Math.min(bw, win);
                            double d = Math.max(30 * rtt, 300 * 1514 * 8 / (kbps * 1000.0));
                            long n = (long) Math.max(16384, th * d * 1.5);
                            long c0 = System.nanoTime();
                            BulkTransfer.Result r = BulkTransfer.run(sim, o, n, 1, 1.0 / 3);
                            segs += n / 1460;
                            System.out.printf("b=%6d lat=%6d kbps=%9d zero=%5s n=%8d steady=%10.0f whole=%10.0f theory=%10.0f ratio=%.3f reads=%d wall=%dms%n",
                                    b, lat, kbps, zero, n, r.steadyBps(), r.wholeBps(), th, r.steadyBps() / th, r.reads(), (System.nanoTime() - c0) / 1_000_000);
                        }
                    }
                }
            }
            System.out.printf("total %d ms, ~%d segments%n", (System.nanoTime() - t0) / 1_000_000, segs);
        }
    }
}
