package io.testbed.kernel.api;

import com.google.protobuf.ByteString;
import io.testbed.kernel.api.v1.ClockGettime;
import io.testbed.kernel.api.v1.Close;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SchedYield;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

/**
 * One simulated user thread: every call is a syscall that blocks the caller until the simulated
 * kernel replies, exactly as a real thread is blocked in the kernel. Not thread-safe: a simulated
 * thread has at most one syscall in flight.
 *
 * <p>Userspace CPU time is declared with {@link #chargeUserCpu(long)}; the amount accumulated since
 * the previous syscall travels with the next request as {@code user_cpu_ns}.
 */
public interface UserThread extends AutoCloseable {

    /** The simulated thread id given by the kernel at attach. */
    int tid();

    /**
     * Sends one syscall and waits for its reply. The request's {@code seq} and {@code user_cpu_ns}
     * are filled in by the binding.
     *
     * @throws KernelException if the kernel is unreachable or the thread was killed
     */
    SyscallReply invoke(SyscallRequest.Builder request);

    /** Adds userspace CPU time to be declared with the next syscall. */
    void chargeUserCpu(long nanos);

    /** Ends the thread: sends {@code exit} if still attached and releases the binding. */
    @Override
    void close();

    default SyscallReply socket(int domain, int type, int protocol) {
        return invoke(SyscallRequest.newBuilder().setSocket(
                Socket.newBuilder().setDomain(domain).setType(type).setProtocol(protocol)));
    }

    default SyscallReply connect(int fd, String host, int port) {
        return invoke(SyscallRequest.newBuilder().setConnect(
                Connect.newBuilder().setFd(fd).setHost(host).setPort(port)));
    }

    default SyscallReply sendto(int fd, byte[] data, int offset, int length, int flags) {
        return invoke(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd)
                .setData(ByteString.copyFrom(data, offset, length)).setFlags(flags)));
    }

    default SyscallReply recvfrom(int fd, int length, int flags) {
        return invoke(SyscallRequest.newBuilder().setRecvfrom(
                RecvFrom.newBuilder().setFd(fd).setLen(length).setFlags(flags)));
    }

    default SyscallReply close(int fd) {
        return invoke(SyscallRequest.newBuilder().setClose(Close.newBuilder().setFd(fd)));
    }

    default SyscallReply nanosleep(long nanos) {
        return invoke(SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(nanos)));
    }

    default SyscallReply schedYield() {
        return invoke(SyscallRequest.newBuilder().setSchedYield(SchedYield.getDefaultInstance()));
    }

    default SyscallReply clockGettime(int clockId) {
        return invoke(SyscallRequest.newBuilder().setClockGettime(ClockGettime.newBuilder().setClockId(clockId)));
    }

    default SyscallReply poll(Poll poll) {
        return invoke(SyscallRequest.newBuilder().setPoll(poll));
    }

    default SyscallReply exit(int code) {
        return invoke(SyscallRequest.newBuilder().setExit(Exit.newBuilder().setCode(code)));
    }
}
