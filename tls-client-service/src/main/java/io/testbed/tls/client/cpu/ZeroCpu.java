package io.testbed.tls.client.cpu;

import io.testbed.kernel.api.UserCpuKind;

import java.util.function.ObjLongConsumer;

/** The client's work costs no simulated time: only the kernel's own costs move the clock. */
public final class ZeroCpu implements UserCpuAccounting {
    public static final String MODE = "zero";

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public String label() {
        return MODE;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public void beforeSyscall(ObjLongConsumer<UserCpuKind> charge) {
        // nothing to declare
    }
}
