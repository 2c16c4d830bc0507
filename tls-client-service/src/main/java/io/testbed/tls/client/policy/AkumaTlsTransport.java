package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;

/**
 * libakuma-tls's {@code TcpTransport} as the scratch client uses it: on a read that would block
 * (WouldBlock or TimedOut) it calls {@code sleep_ms(1)} and retries, forever, with no idle counter
 * (libakuma-tls src/transport.rs:88-118 @7b52ac2; 10 ms from 9528e2a7, transport.rs:104, 112); on a
 * write that would block it sleeps 10 ms, forever (transport.rs:121-133; 1 ms at 8316ebea). The
 * defaults are the seed's commit 7b52ac2. An idle bound can be added ({@code idleTimeoutReads},
 * {@code idleTimeoutMs}) but is not Akuma's.
 */
public final class AkumaTlsTransport extends IdleBoundedPolicy {
    public static final String NAME = "akuma-tls";
    public static final int DEFAULT_READ_SLEEP_MS = 1;
    public static final int DEFAULT_WRITE_SLEEP_MS = 10;

    private final int readSleepMs;
    private final int writeSleepMs;

    public AkumaTlsTransport(int readSleepMs, int writeSleepMs) {
        this(readSleepMs, writeSleepMs, new IdleBound(WouldBlockPolicy.UNBOUNDED_READS, 0));
    }

    private AkumaTlsTransport(int readSleepMs, int writeSleepMs, IdleBound idle) {
        super(NAME, idle);
        this.readSleepMs = InvalidPolicyException.range("sleepMs", readSleepMs, 0, 0, SleepOnWouldBlock.MAX_SLEEP_MS);
        this.writeSleepMs = InvalidPolicyException.range("writeSleepMs", writeSleepMs, 0, 0, SleepOnWouldBlock.MAX_SLEEP_MS);
    }

    static AkumaTlsTransport from(PolicySpec spec) {
        int read = InvalidPolicyException.range("sleepMs", spec.sleepMs(), DEFAULT_READ_SLEEP_MS, 0, SleepOnWouldBlock.MAX_SLEEP_MS);
        int write = InvalidPolicyException.range("writeSleepMs", spec.writeSleepMs(), DEFAULT_WRITE_SLEEP_MS, 0,
                SleepOnWouldBlock.MAX_SLEEP_MS);
        return new AkumaTlsTransport(read, write, IdleBound.of(spec, WouldBlockPolicy.UNBOUNDED_READS, 0));
    }

    public int readSleepMs() {
        return readSleepMs;
    }

    public int writeSleepMs() {
        return writeSleepMs;
    }

    @Override
    String describe() {
        return "akuma-tls: read sleep " + readSleepMs + " ms, write sleep " + writeSleepMs + " ms";
    }

    @Override
    PolicySpec parameters() {
        return new PolicySpec(NAME, readSleepMs, null, null, null, null, null, null, writeSleepMs);
    }

    @Override
    public boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        repeat.setNanosleep(Nanosleep.newBuilder().setNs(sleepNs(events)));
        return true;
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        thread.nanosleep(sleepNs(events));
    }

    private long sleepNs(int events) {
        int ms = (events & Errno.POLLOUT) != 0 ? writeSleepMs : readSleepMs;
        return ms * 1_000_000L;
    }
}
