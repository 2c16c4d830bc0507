package io.testbed.tls.client.cpu;

import io.testbed.kernel.api.UserCpuKind;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.ObjLongConsumer;

/**
 * Charges the CPU time the download's Java thread really used between a syscall's return and the
 * next request ({@link ThreadMXBean#getCurrentThreadCpuTime()}): the host's speed, JIT warm-up and
 * GC included, so two runs differ. Labelled {@code not deterministic} in results. The thread's CPU
 * clock cannot tell TLS from git work, so all of it is declared as {@link UserCpuKind#OTHER}.
 */
public final class MeasuredCpu implements UserCpuAccounting {
    public static final String MODE = "measured";

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private final double scale;
    private long lastExit = -1;

    /** @param scale multiplier from host CPU time to simulated CPU time (1 = the host's speed) */
    public MeasuredCpu(double scale) {
        if (!(scale > 0) || scale > 1000) {
            throw new IllegalArgumentException("cpu.scale must be in (0, 1000], was " + scale);
        }
        if (!MX.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time; use cpu mode modelled");
        }
        this.scale = scale;
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public String label() {
        return MODE + " (host thread CPU time x " + scale + ", not deterministic)";
    }

    @Override
    public boolean deterministic() {
        return false;
    }

    @Override
    public void beforeSyscall(ObjLongConsumer<UserCpuKind> charge) {
        long now = MX.getCurrentThreadCpuTime();
        long used = lastExit < 0 ? 0 : Math.max(0, now - lastExit);
        long scaled = (long) (used * scale);
        if (scaled > 0) {
            charge.accept(UserCpuKind.OTHER, scaled);
        }
    }

    @Override
    public void afterSyscall() {
        lastExit = MX.getCurrentThreadCpuTime();
    }
}
