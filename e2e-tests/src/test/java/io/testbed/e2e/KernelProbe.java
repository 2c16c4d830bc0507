package io.testbed.e2e;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.MachinesGrpc;
import io.testbed.kernel.api.v1.SyscallReply;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One user thread on a fresh virtual machine of a running kernel-sim, reached over real gRPC the way
 * any client on the network could: for asking the kernel to connect somewhere and reading its answer.
 */
final class KernelProbe implements AutoCloseable {
    private final ManagedChannel channel;
    private final MachinesGrpc.MachinesBlockingStub machines;
    private final GrpcKernel kernel;
    private final String machineId;
    private final UserThread thread;

    KernelProbe(int grpcPort) {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create()).build();
        machines = MachinesGrpc.newBlockingStub(channel);
        Machine machine = machines.withDeadlineAfter(30, TimeUnit.SECONDS)
                .create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(1).build());
        machineId = machine.getId();
        kernel = new GrpcKernel(channel, false, Duration.ofSeconds(30));
        thread = kernel.attach(machineId, "probe");
    }

    /** A new TCP socket connected to {@code host:port}: "ok", or the errno's name. The socket is closed after. */
    String connect(String host, int port) {
        SyscallReply socket = thread.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0);
        if (socket.getErrno() != 0) {
            throw new IllegalStateException("socket() failed: " + Errno.name(socket.getErrno()));
        }
        int fd = (int) socket.getRet();
        try {
            SyscallReply reply = thread.connect(fd, host, port);
            return reply.getErrno() == 0 ? "ok" : Errno.name(reply.getErrno());
        } finally {
            thread.close(fd);
        }
    }

    /** Sleeps {@code millis} of the machine's time (its network keeps polling meanwhile). */
    void sleep(long millis) {
        thread.nanosleep(millis * 1_000_000L);
    }

    MachineStats stats() {
        return machines.withDeadlineAfter(30, TimeUnit.SECONDS).stats(MachineRef.newBuilder().setId(machineId).build());
    }

    @Override
    public void close() {
        try {
            thread.close();
            machines.withDeadlineAfter(30, TimeUnit.SECONDS).delete(MachineRef.newBuilder().setId(machineId).build());
        } finally {
            kernel.close();
            channel.shutdownNow();
        }
    }
}
