package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.framed.FrameReader;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.api.framed.Frames;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.v1.Attach;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.Read;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19: kernel-sim's framed syscall socket ({@code testbed.kernel.framed.uds-path}) and kernel-api's
 * {@link FramedKernel}: the gRPC socket's file rules, the token in the hello, bounded frames, an engine that never
 * waits on a client that does not read, and a clear error when kernel-sim goes away or does not answer.
 */
class FramedSocketTest {
    static final String TOKEN = "t0ken-for-the-framed-socket-test-0123";

    @TempDir
    Path dir;

    MachineRegistry registry;
    final List<FramedServer> servers = new ArrayList<>();
    final List<FramedKernel> kernels = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        registry = new MachineRegistry(properties(null), KernelListener.NONE, System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        kernels.forEach(FramedKernel::close);
        servers.forEach(FramedServer::stop);
        registry.close();
    }

    private static KernelSimProperties properties(Path socket) {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        if (socket != null) {
            p.getFramed().setUdsPath(socket.toString());
        }
        return p;
    }

    private FramedServer start(Path socket, BearerToken token) {
        FramedServer server = new FramedServer(properties(socket), registry, token);
        servers.add(server);
        server.start();
        return server;
    }

    private FramedKernel kernel(Path socket, String token, Duration replyTimeout) {
        FramedKernel k = new FramedKernel(socket, token == null ? null : new BearerToken(token).headerValue(), replyTimeout, 2 << 20);
        kernels.add(k);
        return k;
    }

    private FramedKernel kernel(Path socket, String token) {
        return kernel(socket, token, Duration.ofSeconds(30));
    }

    private String machine(Clock clock) {
        return registry.create("framed", "", Map.of(), clock, 1).id();
    }

    private Map<String, Long> counters(String machine) throws Exception {
        return registry.get(machine).loop().stats().get(10, TimeUnit.SECONDS).getCountersMap();
    }

    @Test
    @DisplayName("syscalls are served over the socket, which is owner-only in a 700 directory and gone after stop")
    void syscalls_areServed_andTheSocketIsOwnerOnly_andGoneAfterStop() {
        Path socket = dir.resolve("kernel/framed.sock");
        FramedServer server = start(socket, null);
        assertThat(server.udsPath()).isEqualTo(socket);
        assertThat(PosixFilePermissions.toString(perms(socket.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(perms(socket))).isEqualTo("rw-------");
        String id = machine(Clock.CLOCK_VIRTUAL);
        try (UserThread t = kernel(socket, null).attach(id, "framed")) {
            assertThat(t.tid()).isNotNegative();
            for (int i = 0; i < 100; i++) {
                assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
            }
        }
        server.stop();
        assertThat(socket).doesNotExist();
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> perms(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("with a token, a hello without it or with another is refused and no thread attaches; the right one is served")
    void withAToken_aHelloWithoutItOrWithAnother_isRefused_andNoThreadAttaches() throws Exception {
        Path socket = dir.resolve("framed.sock");
        start(socket, new BearerToken(TOKEN));
        String id = machine(Clock.CLOCK_VIRTUAL);
        assertThatThrownBy(() -> kernel(socket, null).attach(id, "no-token"))
                .isInstanceOf(KernelException.class).hasMessageContaining("UNAUTHENTICATED")
                .hasMessageContaining("wants a bearer token");
        assertThatThrownBy(() -> kernel(socket, TOKEN + "x").attach(id, "wrong-token"))
                .isInstanceOf(KernelException.class).hasMessageContaining("UNAUTHENTICATED")
                .hasMessageContaining("not this kernel's testbed.security.token");
        assertThat(counters(id)).containsEntry(Counters.USER_THREADS_CREATED, 0L);
        try (UserThread t = kernel(socket, TOKEN).attach(id, "token")) {
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
        }
        assertThat(counters(id)).containsEntry(Counters.USER_THREADS_CREATED, 1L);
    }

    @Test
    @DisplayName("a directory others may open, a relative path, a live socket or another file are refused; a stale socket is replaced")
    void theGrpcSocketsFileRules_holdForTheFramedSocket() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> start(shared.resolve("framed.sock"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("testbed.kernel.framed.uds-path")
                .hasMessageContaining("rwxr-xr-x), must be this user's (uid ").hasMessageContaining("alone (chmod 700)");
        assertThat(shared.resolve("framed.sock")).doesNotExist();

        assertThatThrownBy(() -> start(Path.of("framed.sock"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not an absolute path");

        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel left = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            left.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        start(stale, null);
        try (UserThread t = kernel(stale, null).attach(machine(Clock.CLOCK_VIRTUAL), "after-stale")) {
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
        }
        assertThatThrownBy(() -> start(stale, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another kernel-sim listens there");

        Path file = Files.writeString(dir.resolve("notes.txt"), "not a socket");
        assertThatThrownBy(() -> start(file, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a socket");
        assertThat(file).hasContent("not a socket");
    }

    @Test
    @DisplayName("a frame longer than max-frame-bytes ends the connection with RESOURCE_EXHAUSTED, and its thread is reaped")
    void anOversizedFrame_endsTheConnection_andTheThreadIsReaped() throws Exception {
        Path socket = dir.resolve("framed.sock");
        start(socket, null);
        String id = machine(Clock.CLOCK_LIVE);
        try (Raw raw = new Raw(socket)) {
            raw.send(Frames.hello(null), attach(id));
            assertThat(raw.reply().getTid()).isNotNegative();
            assertThat(counters(id)).containsEntry(Counters.USER_THREADS, 1L);
            // a header announcing a body of max + 1 bytes: refused before the body is read
            raw.send(ByteBuffer.allocate(5).putInt(256 * 1024 + 2).put(Frames.REQUEST).flip());
            assertThat(raw.end()).startsWith("RESOURCE_EXHAUSTED a frame of 262145 bytes, more than the 262144 allowed");
            assertThat(raw.closed()).isTrue();
        }
        awaitNoThreads(id);
        // a protocol of another kind (gRPC's preface): refused the same way, nothing attached
        try (Raw raw = new Raw(socket)) {
            raw.send(ByteBuffer.wrap("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(raw.end()).startsWith("RESOURCE_EXHAUSTED a frame of");
            assertThat(raw.closed()).isTrue();
        }
    }

    @Test
    @DisplayName("a client that stops reading a large reply does not hold the engine: another thread on the machine is served")
    void aClientThatStopsReading_doesNotBlockTheEngine() throws Exception {
        Path socket = dir.resolve("framed.sock");
        start(socket, null);
        // write-at: a write costs its blocks only (whole-file, Akuma's, rewrites the file each time: slow on the live clock)
        String id = registry.create("framed", "", Map.of("fs.write", "write-at"), Clock.CLOCK_LIVE, 1).id();
        try (Raw stuck = new Raw(socket)) {
            stuck.send(Frames.hello(null), attach(id));
            assertThat(stuck.reply().getTid()).isNotNegative();
            long seq = 1;
            stuck.send(request(SyscallRequest.newBuilder().setSeq(++seq).setOpenat(io.testbed.kernel.api.v1.Openat.newBuilder()
                    .setDirfd(Errno.AT_FDCWD).setPath("/big").setFlags(Errno.O_RDWR | Errno.O_CREAT | Errno.O_TRUNC).setMode(0644))));
            int fd = (int) stuck.reply().getRet();
            assertThat(fd).isNotNegative();
            byte[] chunk = new byte[128 * 1024];
            for (int i = 0; i < 8; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                stuck.send(request(SyscallRequest.newBuilder().setSeq(++seq).setWrite(io.testbed.kernel.api.v1.Write.newBuilder()
                        .setFd(fd).setData(com.google.protobuf.ByteString.copyFrom(chunk)))));
                assertThat(stuck.reply().getRet()).isEqualTo(chunk.length);
            }
            stuck.send(request(SyscallRequest.newBuilder().setSeq(++seq).setLseek(io.testbed.kernel.api.v1.Lseek.newBuilder()
                    .setFd(fd).setOffset(0).setWhence(0))));
            assertThat(stuck.reply().getRet()).isZero();
            // a 1 MiB reply, several times what the socket buffers: the client reads none of it for now
            stuck.send(request(SyscallRequest.newBuilder().setSeq(++seq).setRead(Read.newBuilder().setFd(fd).setLen(1 << 20))));

            Future<Integer> other = pool.submit(() -> {
                try (UserThread t = kernel(socket, null).attach(id, "other")) {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        ok += t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno() == 0 ? 1 : 0;
                    }
                    return ok;
                }
            });
            assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(200);

            // the reply was queued, not lost or cut: the client reads it whole when it reads again
            SyscallReply big = stuck.reply();
            assertThat(big.getSeq()).isEqualTo(seq);
            assertThat(big.getRet()).isEqualTo(1 << 20);
            assertThat(big.getData().byteAt(0)).isEqualTo((byte) 0);
            assertThat(big.getData().byteAt((1 << 20) - 1)).isEqualTo((byte) 7);
        }
        awaitNoThreads(id);
    }

    @Test
    @DisplayName("kernel-sim stopping during a call: the client's call fails at once saying so, and later calls too")
    void kernelSimStopsMidCall_theClientGetsAClearError() throws Exception {
        Path socket = dir.resolve("framed.sock");
        FramedServer server = start(socket, null);
        String id = machine(Clock.CLOCK_LIVE);
        UserThread t = kernel(socket, null).attach(id, "sleeper");
        Future<?> call = pool.submit(() -> t.nanosleep(20_000_000_000L));
        for (int i = 0; i < 500 && !sleeping(id, "sleeper"); i++) {
            Thread.sleep(10);
        }
        assertThat(sleeping(id, "sleeper")).as("in its nanosleep").isTrue();
        long stopped = System.nanoTime();
        server.stop();
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KernelException.class)
                .hasMessageContaining("UNAVAILABLE kernel-sim is stopping");
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> t.clockGettime(Errno.CLOCK_MONOTONIC)).isInstanceOf(KernelException.class);
        awaitNoThreads(id);
        assertThatThrownBy(() -> kernel(socket, null).attach(id, "after-stop"))
                .isInstanceOf(KernelException.class).hasMessageContaining("kernel-sim unreachable at framed://" + socket);
    }

    @Test
    @DisplayName("a kernel that closes without an end frame, or does not answer, fails the call with a clear error")
    void aKernelThatVanishesOrIsSilent_failsTheCall() throws Exception {
        Path socket = dir.resolve("fake.sock");
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            Future<?> closes = pool.submit(() -> {
                fake.accept().close();
                return null;
            });
            assertThatThrownBy(() -> kernel(socket, null).attach("m", "x"))
                    .isInstanceOf(KernelException.class).hasMessageContaining("without an end frame (it stopped or crashed)");
            closes.get(5, TimeUnit.SECONDS);

            // closed with the client's hello and attach unread: the client's read sees a reset, the same end
            Future<?> resets = pool.submit(() -> {
                try (SocketChannel c = fake.accept()) {
                    Thread.sleep(300); // the client's frames arrive and stay unread
                }
                return null;
            });
            assertThatThrownBy(() -> kernel(socket, null).attach("m", "z"))
                    .isInstanceOf(KernelException.class).hasMessageContaining("without an end frame (it stopped or crashed)");
            resets.get(5, TimeUnit.SECONDS);

            List<SocketChannel> held = new ArrayList<>();
            Future<?> silent = pool.submit(() -> {
                held.add(fake.accept());
                return null;
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> kernel(socket, null, Duration.ofMillis(300)).attach("m", "y"))
                    .isInstanceOf(KernelException.class).hasMessageContaining("no reply from the kernel within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            silent.get(5, TimeUnit.SECONDS);
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    private boolean sleeping(String id, String name) throws Exception {
        return registry.get(id).loop().stats().get(10, TimeUnit.SECONDS).getThreadsList().stream()
                .anyMatch(t -> t.getName().equals(name) && t.getState().equals("WAITING"));
    }

    private void awaitNoThreads(String id) throws Exception {
        Map<String, Long> c = counters(id);
        for (int i = 0; i < 500 && c.get(Counters.USER_THREADS) != 0; i++) {
            Thread.sleep(10);
            c = counters(id);
        }
        assertThat(c).containsEntry(Counters.USER_THREADS, 0L);
    }

    private static ByteBuffer attach(String machine) {
        return request(SyscallRequest.newBuilder().setSeq(1).setAttach(Attach.newBuilder().setMachineId(machine).setName("raw")));
    }

    private static ByteBuffer request(SyscallRequest.Builder r) {
        return Frames.encode(Frames.REQUEST, r.build());
    }

    /** A client speaking the frames by hand on a blocking channel. */
    static final class Raw implements AutoCloseable {
        final SocketChannel ch;
        final FrameReader reader = new FrameReader(16 << 20);

        Raw(Path socket) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        }

        void send(ByteBuffer... frames) throws IOException {
            for (ByteBuffer f : frames) {
                while (f.hasRemaining()) {
                    ch.write(f);
                }
            }
        }

        FrameReader.Frame next() throws IOException {
            FrameReader.Frame f;
            while ((f = reader.next()) == null) {
                if (reader.readFrom(ch) < 0) {
                    return null;
                }
            }
            return f;
        }

        SyscallReply reply() throws IOException {
            FrameReader.Frame f = next();
            assertThat(f).as("a frame").isNotNull();
            if (f.kind() == Frames.END) {
                throw new AssertionError("ended: " + new String(f.array(), f.offset(), f.length(), StandardCharsets.UTF_8));
            }
            assertThat(f.kind()).isEqualTo(Frames.REPLY);
            return SyscallReply.parser().parseFrom(f.array(), f.offset(), f.length());
        }

        String end() throws IOException {
            FrameReader.Frame f = next();
            assertThat(f).as("an end frame").isNotNull();
            assertThat(f.kind()).isEqualTo(Frames.END);
            return new String(f.array(), f.offset(), f.length(), StandardCharsets.UTF_8);
        }

        /** Whether the kernel closed the connection after what was read. */
        boolean closed() throws IOException {
            return next() == null;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
