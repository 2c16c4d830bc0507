package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.api.v1.SyscallReply;

/** Where a user thread's replies go (a gRPC stream, an in-process caller); called on the engine thread. */
public interface ReplySink {
    void reply(SyscallReply reply);

    /** The thread is gone (exit, killed, machine deleted); no more replies will come. */
    void ended(String reason);
}
