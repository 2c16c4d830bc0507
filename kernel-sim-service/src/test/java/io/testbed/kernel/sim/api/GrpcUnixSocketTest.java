package io.testbed.kernel.sim.api;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19: kernel-sim's extra gRPC listener on a Unix domain socket ({@code testbed.kernel.grpc.uds-path}) serves
 * the same syscalls, keeps the bearer token rule, and is reachable by this user only: a directory others may open
 * is refused, the socket file is owner-only, a stale socket is replaced, a live one or another file is not.
 */
class GrpcUnixSocketTest {
    static final String TOKEN = "t0ken-for-the-unix-socket-test-0123";

    @TempDir
    Path dir;

    MachineRegistry registry;
    String machine;
    final List<GrpcServer> servers = new ArrayList<>();
    final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        KernelSimProperties p = properties(null);
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        machine = registry.create("uds", "", Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
    }

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(GrpcServer::stop);
        registry.close();
    }

    private KernelSimProperties properties(Path socket) {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        p.getGrpc().setPort(0);
        if (socket != null) {
            p.getGrpc().setUdsPath(socket.toString());
        }
        return p;
    }

    private GrpcServer start(Path socket, BearerToken token) {
        GrpcServer server = new GrpcServer(properties(socket), registry, new SimpleMeterRegistry(), token);
        servers.add(server);
        server.start();
        return server;
    }

    private GrpcKernel kernel(Path socket, String token) {
        ManagedChannelBuilder<?> b = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create());
        if (token != null) {
            b.intercept(new BearerToken(token).clientInterceptor());
        }
        ManagedChannel c = b.build();
        channels.add(c);
        return new GrpcKernel(c, false, Duration.ofSeconds(30));
    }

    @Test
    void syscalls_overTheSocket_areServed_andTheSocketIsOwnerOnly_andGoneAfterStop() throws Exception {
        Path socket = dir.resolve("kernel/grpc.sock");
        GrpcServer server = start(socket, null);
        assertThat(server.udsPath()).isEqualTo(socket);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        try (UserThread t = kernel(socket, null).attach(machine, "uds")) {
            long first = t.clockGettime(1).getRet();
            assertThat(first).isGreaterThanOrEqualTo(0);
            for (int i = 0; i < 100; i++) {
                assertThat(t.clockGettime(1).getErrno()).isZero();
            }
        }
        server.stop();
        assertThat(socket).doesNotExist();
    }

    @Test
    void withAToken_aCallWithoutItIsUnauthenticated_overTheSocketToo() {
        Path socket = dir.resolve("grpc.sock");
        start(socket, new BearerToken(TOKEN));
        assertThatThrownBy(() -> {
            try (UserThread t = kernel(socket, null).attach(machine, "no-token")) {
                t.clockGettime(1);
            }
        }).hasStackTraceContaining("UNAUTHENTICATED");
        assertThatThrownBy(() -> {
            try (UserThread t = kernel(socket, TOKEN + "x").attach(machine, "wrong-token")) {
                t.clockGettime(1);
            }
        }).hasStackTraceContaining("UNAUTHENTICATED");
        try (UserThread t = kernel(socket, TOKEN).attach(machine, "token")) {
            assertThat(t.clockGettime(1).getErrno()).isZero();
        }
    }

    @Test
    void aDirectoryOthersMayOpen_isRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> start(shared.resolve("grpc.sock"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rwxr-xr-x), must be this user's (uid ").hasMessageContaining("alone (chmod 700)");
        assertThat(shared.resolve("grpc.sock")).doesNotExist();
    }

    @Test
    void aRelativePath_isRefused() {
        assertThatThrownBy(() -> start(Path.of("grpc.sock"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not an absolute path");
    }

    @Test
    void aStaleSocket_isReplaced_butALiveOneOrAnotherFileIsNot() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel left = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            left.bind(UnixDomainSocketAddress.of(stale));
        }
        // closed without unlinking: the file stays, nobody listens
        assertThat(stale).exists();
        start(stale, null);
        try (UserThread t = kernel(stale, null).attach(machine, "after-stale")) {
            assertThat(t.clockGettime(1).getErrno()).isZero();
        }

        assertThatThrownBy(() -> start(stale, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another kernel-sim listens there");

        Path file = Files.writeString(dir.resolve("notes.txt"), "not a socket");
        assertThatThrownBy(() -> start(file, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a socket");
        assertThat(file).hasContent("not a socket");
    }
}
