package io.testbed.kernel.sim.calibration;

import io.testbed.kernel.sim.config.KernelCostTable;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Profiles;
import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the references on the model, fits the two free parameters, and measures how the figures move
 * when each is halved and doubled. Two parameters explain C1-C3:
 * <ul>
 *   <li>the TCG factor (every kernel {@code cost.*} is a native estimate times it), fixed by C3;</li>
 *   <li>{@code timer.irq_latency_us}, fixed by C1 (with relative re-arm each 10 ms sleep of a thread
 *       running alone lasts one tick period, 10 ms plus the latency).</li>
 * </ul>
 * C2 fixes nothing: a 1 s sleep is woken by the passes of the threads that busy-yield, so it validates
 * that the latency does not leak into long sleeps.
 */
public final class Calibration {
    /** The fitted latency (µs), {@link KernelCostTable#FITTED_IRQ_LATENCY_US}. */
    public static final int FITTED_IRQ_LATENCY_US = KernelCostTable.FITTED_IRQ_LATENCY_US;
    /** The fitted {@code cost.sector_ns}, {@link KernelCostTable#FITTED_SECTOR_NS}. */
    public static final long FITTED_SECTOR_NS = KernelCostTable.FITTED_SECTOR_NS;
    /** Seed of every calibration machine. */
    public static final long SEED = 1;

    /** The free parameters. */
    public record Parameters(int irqLatencyUs, double tcgFactor) {
        public static Parameters fitted() {
            return new Parameters(FITTED_IRQ_LATENCY_US, KernelCostTable.FITTED_TCG_FACTOR);
        }

        /** The settings these parameters set on top of a profile (the scaled cost table and the latency). */
        public Map<String, String> settings() {
            Map<String, String> m = new LinkedHashMap<>(KernelCostTable.scaled(tcgFactor));
            m.put("timer.irq_latency_us", Integer.toString(irqLatencyUs));
            return m;
        }
    }

    /** A reference's model figure under some parameters. */
    public record Result(Reference reference, double figure) {
        public double ratio() {
            return figure / reference.measured();
        }

        public boolean accepted() {
            return reference.accepts(figure);
        }
    }

    private Calibration() {
    }

    /** The settings a reference runs with under {@code p}. */
    public static MachineSettings settings(Reference r, Parameters p) {
        Map<String, String> overrides = new LinkedHashMap<>(r.conditions());
        overrides.putAll(p.settings());
        return Profiles.resolve(r.profile(), overrides);
    }

    public static Result run(Reference r, Parameters p) {
        MachineSettings s = settings(r, p);
        return new Result(r, r.run().run(connector -> new SyscallDriver(s, SEED, connector)));
    }

    public static List<Result> runAll(List<Reference> refs, Parameters p) {
        List<Result> out = new ArrayList<>();
        for (Reference r : refs) {
            out.add(run(r, p));
        }
        return out;
    }

    /**
     * Fits the TCG factor on C3 and the IRQ latency on C1, alternating twice (C3 barely depends on the
     * latency, C1 barely on the costs). Each step is a secant update: both figures are close to linear
     * in their parameter.
     */
    public static Parameters fit() {
        Parameters p = new Parameters(2_000, 10.0);
        Reference c1 = References.c1();
        Reference c3 = References.c3();
        for (int round = 0; round < 3; round++) {
            double f3 = run(c3, p).figure();
            double factor = p.tcgFactor() * c3.measured() / f3;
            p = new Parameters(p.irqLatencyUs(), Math.round(factor * 100) / 100.0);
            double f1 = run(c1, p).figure();
            // each of the 900 sleeps lasts one tick period: 1 µs of latency is 0.9 ms of C1
            int latency = (int) Math.round(p.irqLatencyUs() + (c1.measured() - f1) * 1000 / 900);
            p = new Parameters(Math.max(0, latency), p.tcgFactor());
        }
        return p;
    }

    /** One row of the sensitivity table: a parameter halved and doubled, every target's figure. */
    public record Sensitivity(String parameter, String value, Map<String, double[]> figures) {
    }

    /**
     * How C1-C3 and the 4 MiB download move when each fitted parameter is halved and doubled: for each
     * target, {half, fitted, double}.
     */
    public static List<Sensitivity> sensitivity(List<Reference> refs, Parameters p, boolean download) {
        List<Sensitivity> rows = new ArrayList<>();
        Parameters[][] variants = {
                {new Parameters(p.irqLatencyUs() / 2, p.tcgFactor()), p, new Parameters(p.irqLatencyUs() * 2, p.tcgFactor())},
                {new Parameters(p.irqLatencyUs(), p.tcgFactor() / 2), p, new Parameters(p.irqLatencyUs(), p.tcgFactor() * 2)}};
        String[] names = {"timer.irq_latency_us", "tcg factor"};
        String[] values = {Integer.toString(p.irqLatencyUs()), Double.toString(p.tcgFactor())};
        for (int i = 0; i < 2; i++) {
            Map<String, double[]> figures = new LinkedHashMap<>();
            for (Reference r : refs) {
                double[] f = new double[3];
                for (int v = 0; v < 3; v++) {
                    f[v] = run(r, variants[i][v]).figure();
                }
                figures.put(r.id(), f);
            }
            if (download) {
                double[] f = new double[3];
                for (int v = 0; v < 3; v++) {
                    f[v] = download4MiB(variants[i][v]);
                }
                figures.put("4 MiB download (s)", f);
            }
            rows.add(new Sensitivity(names[i], values[i], figures));
        }
        return rows;
    }

    /** Native software AES-128-GCM per byte (tls-client UserCostTable entry aes_gcm_byte), scaled by the TCG factor. */
    static final double AES_GCM_NATIVE_NS_PER_BYTE = 16;

    /**
     * A 4 MiB download at the seed's commit as libakuma-tls's transport reads it: recvfrom(4096); on
     * EAGAIN a 1 ms sleep_ms; the bytes decrypted in software (AES-128-GCM at the fitted TCG factor).
     * Returns simulated seconds from connect to end of file.
     */
    public static double download4MiB(Parameters p) {
        Map<String, String> overrides = new LinkedHashMap<>(p.settings());
        MachineSettings s = Profiles.resolve("akuma-7b52ac2", overrides);
        SyscallDriver d = new SyscallDriver(s, SEED, Connectors.bulk(4 << 20));
        long start = d.nowNs();
        int fd = References.connect(d, "bulk.test", 443);
        References.ok(d.call(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd)
                .setData(ByteString.copyFrom(new byte[300])))), "sendto");
        long perByte = Math.round(AES_GCM_NATIVE_NS_PER_BYTE * p.tcgFactor());
        long received = 0;
        while (true) {
            SyscallReply r = d.call(SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(4096)));
            if (r.getRet() > 0) {
                received += r.getRet();
                d.chargeUserCpu(r.getRet() * perByte);
            } else if (r.getRet() == 0) {
                break;
            } else if (r.getErrno() == Errno.EAGAIN) {
                d.call(SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(1_000_000)));
            } else {
                throw new IllegalStateException("download failed: errno " + r.getErrno());
            }
        }
        if (received != 4 << 20) {
            throw new IllegalStateException("download ended after " + received + " bytes");
        }
        return (d.nowNs() - start) / 1e9;
    }
}
