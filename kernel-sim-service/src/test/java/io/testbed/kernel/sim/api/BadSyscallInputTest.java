package io.testbed.kernel.sim.api;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Attach;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallsGrpc;
import io.testbed.kernel.sim.BulkServer;
import io.grpc.stub.StreamObserver;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad syscall input over real gRPC: each case gets the errno (or gRPC status) a careful kernel gives,
 * and the machine must serve a fresh thread afterwards, with no thread or socket left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadSyscallInputTest {
    private GrpcFixture grpc;
    private String machine;
    private String pollMachine;

    @BeforeAll
    void start() throws Exception {
        grpc = GrpcFixture.withBulkServer(Duration.ofSeconds(20));
        machine = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_LIVE).build()).getId();
        pollMachine = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_LIVE)
                .putOverrides("syscall.poll", "enabled").build()).getId();
    }

    @AfterAll
    void stop() throws Exception {
        grpc.close();
    }

    /** One case: what to do on a fresh thread of the machine, and what must come back. */
    record Case(String name, String machine, Function<Ctx, Object> action, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a case can use. */
    final class Ctx {
        final UserThread t;

        Ctx(UserThread t) {
            this.t = t;
        }

        int socket() {
            return (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
        }

        int connected() {
            int fd = socket();
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            return fd;
        }

        int server() {
            return grpc.server.port();
        }
    }

    private static Object errno(SyscallReply r) {
        return r.getRet() < 0 ? Errno.name(r.getErrno()) : "ret=" + r.getRet();
    }

    Stream<Arguments> cases() {
        byte[] big = new byte[100_000];
        Poll tooMany = Poll.newBuilder().setTimeoutMs(0).addAllFds(java.util.Collections.nCopies(65,
                PollFd.newBuilder().setFd(3).setEvents(Errno.POLLIN).build())).build();
        return Stream.of(
                new Case("recvfrom on an fd never opened", machine, c -> errno(c.t.recvfrom(42, 4096, 0)), "EBADF"),
                new Case("recvfrom on a negative fd", machine, c -> errno(c.t.recvfrom(-1, 4096, 0)), "EBADF"),
                new Case("close on an fd never opened", machine, c -> errno(c.t.close(7)), "EBADF"),
                new Case("close twice", machine, c -> {
                    int fd = c.socket();
                    c.t.close(fd);
                    return errno(c.t.close(fd));
                }, "EBADF"),
                new Case("sendto on an fd never opened", machine, c -> errno(c.t.sendto(9, new byte[]{1}, 0, 1, 0)), "EBADF"),
                new Case("connect on an fd never opened", machine, c -> errno(c.t.connect(5, "bulk.test", 80)), "EBADF"),
                new Case("recvfrom after close", machine, c -> {
                    int fd = c.connected();
                    c.t.close(fd);
                    return errno(c.t.recvfrom(fd, 10, 0));
                }, "EBADF"),
                new Case("recvfrom on an unconnected socket", machine, c -> errno(c.t.recvfrom(c.socket(), 10, 0)), "ENOTCONN"),
                new Case("sendto on an unconnected socket", machine, c -> errno(c.t.sendto(c.socket(), new byte[]{1}, 0, 1, 0)), "ENOTCONN"),
                new Case("recvfrom with a negative length", machine, c -> errno(c.t.recvfrom(c.connected(), -1, 0)), "EINVAL"),
                new Case("recvfrom with a huge length is capped, not allocated", machine, c -> {
                    int fd = c.connected();
                    byte[] req = BulkServer.request(100_000);
                    c.t.sendto(fd, req, 0, req.length, 0);
                    SyscallReply r;
                    do {
                        r = c.t.recvfrom(fd, Integer.MAX_VALUE, 0);
                    } while (r.getRet() < 0 && r.getErrno() == Errno.EAGAIN);
                    return r.getRet() > 0 && r.getRet() <= 4096 ? "capped" : "ret=" + r.getRet();
                }, "capped"),
                new Case("recvfrom of zero bytes", machine, c -> errno(c.t.recvfrom(c.connected(), 0, 0)), "ret=0"),
                new Case("sendto larger than the kernel accepts", machine, c -> errno(c.t.sendto(c.connected(), big, 0, big.length, 0)), "EINVAL"),
                new Case("sendto after the socket was closed", machine, c -> {
                    int fd = c.connected();
                    c.t.close(fd);
                    return errno(c.t.sendto(fd, new byte[]{1}, 0, 1, 0));
                }, "EBADF"),
                new Case("socket with an unsupported family", machine, c -> errno(c.t.socket(10, Errno.SOCK_STREAM, 0)), "EAFNOSUPPORT"),
                new Case("socket of type datagram", machine, c -> errno(c.t.socket(Errno.AF_INET, 2, 0)), "EPROTONOSUPPORT"),
                new Case("socket with protocol UDP", machine, c -> errno(c.t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 17)), "EPROTONOSUPPORT"),
                new Case("connect to port 0", machine, c -> errno(c.t.connect(c.socket(), "bulk.test", 0)), "EINVAL"),
                new Case("connect to port 70000", machine, c -> errno(c.t.connect(c.socket(), "bulk.test", 70000)), "EINVAL"),
                new Case("connect to an empty host", machine, c -> errno(c.t.connect(c.socket(), "", 80)), "EINVAL"),
                new Case("connect to a 300-character host", machine, c -> errno(c.t.connect(c.socket(), "a".repeat(300), 80)), "EINVAL"),
                new Case("connect twice", machine, c -> errno(c.t.connect(c.connected(), "bulk.test", 80)), "EISCONN"),
                new Case("connect to a host not allow-listed", machine, c -> errno(c.t.connect(c.socket(), "example.com", 443)), "ECONNREFUSED"),
                new Case("connect to an allow-listed host on another port", machine, c -> errno(c.t.connect(c.socket(), "bulk.test", 81)), "ECONNREFUSED"),
                new Case("connect to the kernel-sim's own gRPC port", machine, c -> errno(c.t.connect(c.socket(), "127.0.0.1", c.server())), "ECONNREFUSED"),
                new Case("connect to the real upstream's address directly", machine, c -> errno(c.t.connect(c.socket(), "127.0.0.1", grpc.upstream.port())), "ECONNREFUSED"),
                new Case("nanosleep with a negative time", machine, c -> errno(c.t.nanosleep(-1)), "EINVAL"),
                new Case("nanosleep for more than an hour", machine, c -> errno(c.t.nanosleep(3_600_000_000_001L)), "EINVAL"),
                new Case("clock_gettime of an unknown clock", machine, c -> errno(c.t.clockGettime(42)), "EINVAL"),
                new Case("poll where the profile has none", machine, c -> errno(c.t.poll(Poll.newBuilder().setTimeoutMs(0).build())), "ENOSYS"),
                new Case("poll on more than 64 fds", pollMachine, c -> errno(c.t.poll(tooMany)), "EINVAL"),
                new Case("poll with a timeout below -1", pollMachine, c -> errno(c.t.poll(Poll.newBuilder().setTimeoutMs(-2).build())), "EINVAL"),
                new Case("poll on a closed fd reports POLLNVAL", pollMachine, c -> {
                    SyscallReply r = c.t.poll(Poll.newBuilder().setTimeoutMs(0)
                            .addFds(PollFd.newBuilder().setFd(30).setEvents(Errno.POLLIN)).build());
                    return "ret=" + r.getRet() + " revents=" + r.getRevents(0);
                }, "ret=1 revents=32"),
                new Case("a request with no syscall", machine, c -> errno(c.t.invoke(SyscallRequest.newBuilder())), "ENOSYS"),
                new Case("attach a second time on the same stream", machine, c -> errno(c.t.invoke(SyscallRequest.newBuilder()
                        .setAttach(Attach.newBuilder().setMachineId(machine)))), "EINVAL"),
                new Case("a syscall after exit", machine, c -> {
                    c.t.exit(0);
                    try {
                        c.t.clockGettime(1);
                        return "no error";
                    } catch (KernelException e) {
                        return "KernelException";
                    }
                }, "KernelException")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsTheRightError_andTheMachineStaysUsable(Case c) {
        UserThread t = grpc.kernel.attach(c.machine(), "bad-input");
        try {
            assertThat(c.action().apply(new Ctx(t))).isEqualTo(c.expected());
        } finally {
            t.close();
        }
        assertHealthy(c.machine());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void badStream_endsWithAStatus_andTheMachineStaysUsable(String name, Function<BadSyscallInputTest, Status.Code> action,
                                                            List<Status.Code> expected) throws Exception {
        assertThat(action.apply(this)).isIn(expected);
        assertHealthy(machine);
    }

    Stream<Arguments> streamCases() {
        return Stream.of(
                Arguments.of("a syscall before attach", (Function<BadSyscallInputTest, Status.Code>) BadSyscallInputTest::syscallBeforeAttach,
                        List.of(Status.Code.FAILED_PRECONDITION)),
                Arguments.of("attach to an unknown machine", (Function<BadSyscallInputTest, Status.Code>) x -> x.attachTo("no-such-machine"),
                        List.of(Status.Code.NOT_FOUND)),
                // gRPC refuses it in its transport: RESOURCE_EXHAUSTED, or a reset stream the client sees as CANCELLED
                Arguments.of("a message larger than gRPC accepts", (Function<BadSyscallInputTest, Status.Code>) BadSyscallInputTest::oversized,
                        List.of(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED)),
                // gRPC closes a call whose message does not parse as protobuf with UNKNOWN (its own choice)
                Arguments.of("a stream that sends garbage", (Function<BadSyscallInputTest, Status.Code>) BadSyscallInputTest::garbage,
                        List.of(Status.Code.UNKNOWN)),
                Arguments.of("two syscalls in flight on one thread", (Function<BadSyscallInputTest, Status.Code>) BadSyscallInputTest::pipelined,
                        List.of(Status.Code.ABORTED)),
                Arguments.of("a stream that closes mid-syscall", (Function<BadSyscallInputTest, Status.Code>) BadSyscallInputTest::closedMidSyscall,
                        List.of(Status.Code.CANCELLED)));
    }

    /** Opens a raw stream, sends the given requests, returns the status it ends with. */
    private Status.Code rawStream(List<SyscallRequest> requests, boolean cancelAfter) {
        return rawStream(requests, cancelAfter, false);
    }

    /** As above; with {@code awaitAttach}, the first request (attach) is answered before the rest go. */
    private Status.Code rawStream(List<SyscallRequest> requests, boolean cancelAfter, boolean awaitAttach) {
        CompletableFuture<Status.Code> end = new CompletableFuture<>();
        CompletableFuture<Void> attached = new CompletableFuture<>();
        StreamObserver<SyscallRequest> out = SyscallsGrpc.newStub(grpc.channel).thread(new StreamObserver<>() {
            @Override
            public void onNext(SyscallReply value) {
                attached.complete(null);
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t).getCode());
            }

            @Override
            public void onCompleted() {
                end.complete(Status.Code.OK);
            }
        });
        try {
            out.onNext(requests.get(0));
            if (awaitAttach) {
                attached.get(5, TimeUnit.SECONDS);
            }
            requests.subList(1, requests.size()).forEach(out::onNext);
            if (cancelAfter) {
                Thread.sleep(200);
                out.onError(Status.CANCELLED.asRuntimeException());
                return end.get(5, TimeUnit.SECONDS);
            }
            return end.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            try {
                out.onError(Status.CANCELLED.asRuntimeException());
            } catch (RuntimeException ignored) {
                // already over
            }
        }
    }

    private static SyscallRequest attachReq(String id) {
        return SyscallRequest.newBuilder().setSeq(1).setAttach(Attach.newBuilder().setMachineId(id)).build();
    }

    Status.Code syscallBeforeAttach() {
        return rawStream(List.of(SyscallRequest.newBuilder().setSeq(1).setNanosleep(Nanosleep.newBuilder().setNs(1)).build()), false);
    }

    Status.Code attachTo(String id) {
        return rawStream(List.of(attachReq(id)), false);
    }

    Status.Code oversized() {
        return rawStream(List.of(attachReq(machine), SyscallRequest.newBuilder().setSeq(2).setSendto(
                io.testbed.kernel.api.v1.SendTo.newBuilder().setFd(3)
                        .setData(com.google.protobuf.ByteString.copyFrom(new byte[300_000]))).build()), false);
    }

    Status.Code pipelined() {
        SyscallRequest sleep = SyscallRequest.newBuilder().setSeq(2).setNanosleep(Nanosleep.newBuilder().setNs(2_000_000_000L)).build();
        return rawStream(List.of(attachReq(machine), sleep, sleep.toBuilder().setSeq(3).build()), false, true);
    }

    Status.Code closedMidSyscall() {
        return rawStream(List.of(attachReq(machine), SyscallRequest.newBuilder().setSeq(2)
                .setNanosleep(Nanosleep.newBuilder().setNs(5_000_000_000L)).build()), true, true);
    }

    Status.Code garbage() {
        MethodDescriptor<byte[], byte[]> raw = SyscallsGrpc.getThreadMethod().toBuilder(new RawMarshaller(), new RawMarshaller()).build();
        ClientCall<byte[], byte[]> call = grpc.channel.newCall(raw, CallOptions.DEFAULT);
        CompletableFuture<Status.Code> end = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                end.complete(status.getCode());
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x13, 0x37});
        try {
            return end.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final class RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A fresh thread works, and no user thread or socket is left over once everything settled. */
    private void assertHealthy(String id) {
        try (UserThread t = grpc.kernel.attach(id, "health")) {
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
        }
        MachineStats s = null;
        for (int i = 0; i < 500; i++) {
            s = grpc.admin.stats(MachineRef.newBuilder().setId(id).build());
            if (s.getCountersMap().get("user_threads") == 0 && s.getCountersMap().get("sockets_open") == 0) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(s.getCountersMap()).containsEntry("user_threads", 0L).containsEntry("sockets_open", 0L);
        assertThat(grpc.admin.get(MachineRef.newBuilder().setId(id).build()).getState()).isEqualTo("running");
    }
}
