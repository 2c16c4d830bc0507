package io.testbed.kernel.api;

import com.google.protobuf.ByteString;
import io.testbed.kernel.api.v1.ClockGettime;
import io.testbed.kernel.api.v1.Close;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.Fstat;
import io.testbed.kernel.api.v1.Lseek;
import io.testbed.kernel.api.v1.Mkdirat;
import io.testbed.kernel.api.v1.Mmap;
import io.testbed.kernel.api.v1.Munmap;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.Openat;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.Read;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SchedYield;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.Write;

/**
 * One simulated user thread: every call is a syscall that blocks the caller until the simulated
 * kernel replies, exactly as a real thread is blocked in the kernel. Not thread-safe: a simulated
 * thread has at most one syscall in flight.
 *
 * <p>Userspace CPU time is declared with {@link #chargeUserCpu(UserCpuKind, long)}; the amount accumulated
 * since the previous syscall travels with the next request as {@code user_cpu_ns}, its TLS and pack parts
 * as {@code user_cpu_tls_ns} and {@code user_cpu_pack_ns}.
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

    /** Adds userspace CPU time spent on {@code kind} work, to be declared with the next syscall. */
    void chargeUserCpu(UserCpuKind kind, long nanos);

    /** Adds userspace CPU time of no particular kind ({@link UserCpuKind#OTHER}). */
    default void chargeUserCpu(long nanos) {
        chargeUserCpu(UserCpuKind.OTHER, nanos);
    }

    /**
     * Whether the kernel behind this thread runs a would-block loop for the client
     * ({@code SyscallRequest.repeat}, see {@link RepeatedCalls}); false for kernels that do not (the host's).
     */
    default boolean repeatsOnWouldBlock() {
        return false;
    }

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

    /** openat(2): ret = the new fd. {@code dirfd} is {@link Errno#AT_FDCWD} or an open directory. */
    default SyscallReply openat(int dirfd, String path, int flags, int mode) {
        return invoke(SyscallRequest.newBuilder().setOpenat(
                Openat.newBuilder().setDirfd(dirfd).setPath(path).setFlags(flags).setMode(mode)));
    }

    /** read(2): ret = bytes read (0 at end of file); the bytes are in {@code data}. */
    default SyscallReply read(int fd, int len) {
        return invoke(SyscallRequest.newBuilder().setRead(Read.newBuilder().setFd(fd).setLen(len)));
    }

    /** write(2) of {@code data[offset, offset+length)}: ret = bytes written. fd 1/2 is the console. */
    default SyscallReply write(int fd, byte[] data, int offset, int length) {
        return invoke(SyscallRequest.newBuilder().setWrite(Write.newBuilder().setFd(fd)
                .setData(ByteString.copyFrom(data, offset, length))));
    }

    /** lseek(2): ret = the new offset. */
    default SyscallReply lseek(int fd, long offset, int whence) {
        return invoke(SyscallRequest.newBuilder().setLseek(
                Lseek.newBuilder().setFd(fd).setOffset(offset).setWhence(whence)));
    }

    /** fstat(2): {@code st_size} and {@code st_mode} in the reply. */
    default SyscallReply fstat(int fd) {
        return invoke(SyscallRequest.newBuilder().setFstat(Fstat.newBuilder().setFd(fd)));
    }

    /** mkdirat(2): ret = 0. */
    default SyscallReply mkdirat(int dirfd, String path, int mode) {
        return invoke(SyscallRequest.newBuilder().setMkdirat(
                Mkdirat.newBuilder().setDirfd(dirfd).setPath(path).setMode(mode)));
    }

    /** Anonymous private mmap(2): ret = the address. */
    default SyscallReply mmap(long length) {
        return invoke(SyscallRequest.newBuilder().setMmap(Mmap.newBuilder().setLength(length)));
    }

    /** munmap(2): ret = 0. */
    default SyscallReply munmap(long addr, long length) {
        return invoke(SyscallRequest.newBuilder().setMunmap(Munmap.newBuilder().setAddr(addr).setLength(length)));
    }
}
