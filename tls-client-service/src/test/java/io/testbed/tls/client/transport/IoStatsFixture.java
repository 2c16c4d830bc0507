package io.testbed.tls.client.transport;

import io.testbed.kernel.api.UserCpuKind;

/** Fills an {@link IoStats} with distinct figures, for tests outside this package. */
public final class IoStatsFixture {
    private IoStatsFixture() {
    }

    /** Two syscalls 0..9 ms, reads of 700 and 300 bytes, two TLS records, a would-block and a 2 ms sleep. */
    public static IoStats busy() {
        IoStats s = new IoStats();
        s.syscall(1_000_000, 2_000_000);
        s.syscall(3_000_000, 10_000_000);
        s.connection();
        s.read(700);
        s.read(300);
        s.tlsRecord(512);
        s.tlsRecord(400);
        s.wouldBlock();
        s.sleep(2_000_000);
        s.userCpu(UserCpuKind.TLS, 4_000);
        return s;
    }
}
