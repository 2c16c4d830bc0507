package io.testbed.tls.client.scratch;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.RepeatedCalls;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallRequestOrBuilder;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link UserThread} that describes the network side of scratch's syscalls in the trace
 * ({@code socket}, {@code connect <host>:<port>}, {@code sendto <bytes>}, {@code recvfrom = <n>|EAGAIN},
 * {@code nanosleep <ms>}, {@code close socket}); the file side is traced by {@link ScratchSys}.
 */
public final class NetworkTrace extends ForwardingUserThread {
    private final Consumer<String> trace;
    private final Set<Integer> sockets = new HashSet<>();

    public NetworkTrace(UserThread delegate, Consumer<String> trace) {
        super(delegate);
        this.trace = trace;
    }

    @Override
    public SyscallReply invoke(SyscallRequest.Builder request) {
        SyscallReply reply = super.invoke(request);
        // a repeated call (the would-block loop run by the kernel) is traced as every syscall it made
        RepeatedCalls.forEach(request, reply, (call, req, r) -> {
            String line = line(call, req, r);
            if (line != null) {
                trace.accept(line);
            }
        });
        return reply;
    }

    private String line(SyscallRequest.CallCase call, SyscallRequestOrBuilder request, SyscallReply r) {
        return switch (call) {
            case SOCKET -> {
                if (r.getRet() >= 0) {
                    sockets.add((int) r.getRet());
                }
                yield "socket";
            }
            case CONNECT -> "connect " + request.getConnect().getHost() + ":" + request.getConnect().getPort() + result(r);
            case SENDTO -> "sendto " + request.getSendto().getData().size() + result(r);
            case RECVFROM -> "recvfrom" + (r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : " = " + r.getRet());
            case NANOSLEEP -> "nanosleep " + request.getNanosleep().getNs() / 1_000_000 + " ms";
            case SCHED_YIELD -> "sched_yield";
            case POLL -> "poll";
            case CLOSE -> sockets.remove(request.getClose().getFd()) ? "close socket" : null;
            default -> null;
        };
    }

    private static String result(SyscallReply r) {
        return r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : "";
    }
}
