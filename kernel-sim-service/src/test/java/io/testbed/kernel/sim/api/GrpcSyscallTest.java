package io.testbed.kernel.sim.api;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.MachinesGrpc;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.BulkServer;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The syscall ABI over a real gRPC server and channel: errors a careful kernel gives, and a machine that stays usable.
 * Over loopback TCP here; {@link GrpcSyscallOverUnixSocketTest} runs the same over the Unix domain socket, and
 * {@link GrpcSyscallOverFramedSocketTest} the syscalls over the framed socket.
 */
class GrpcSyscallTest {
    private BulkServer upstream;
    private KernelSimProperties properties;
    private MachineRegistry registry;
    private GrpcServer server;
    private ManagedChannel channel;
    private Kernel kernel;
    private MachinesGrpc.MachinesBlockingStub admin;
    private String machineId;

    @BeforeEach
    void setUp() throws Exception {
        upstream = new BulkServer();
        KernelSimProperties p = new KernelSimProperties();
        p.setUpstreams(List.of("bulk.test:80=127.0.0.1:" + upstream.port()));
        p.getGrpc().setPort(0);
        configure(p.getGrpc());
        properties = p;
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        server = new GrpcServer(p, registry, new SimpleMeterRegistry());
        server.start();
        channel = channelTo(server);
        kernel = kernelTo(channel, p, registry);
        admin = MachinesGrpc.newBlockingStub(channel);
        machineId = admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(7).build()).getId();
    }

    /** How the server listens besides its loopback port. */
    void configure(KernelSimProperties.Grpc grpc) throws Exception {
    }

    /** The channel the test's syscalls and admin calls take. */
    ManagedChannel channelTo(GrpcServer server) {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    /** The kernel the test's syscalls take (the admin calls take the channel). */
    Kernel kernelTo(ManagedChannel channel, KernelSimProperties p, MachineRegistry registry) throws Exception {
        return new GrpcKernel(channel, false, Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() throws Exception {
        kernel.close();
        channel.shutdownNow();
        server.stop();
        registry.close();
        upstream.close();
    }

    @Test
    void recvfrom_badFd_returnsEbadf_andMachineStaysUsable() {
        try (UserThread t = kernel.attach(machineId, "bad-fd")) {
            SyscallReply r = t.recvfrom(42, 4096, 0);
            assertThat(r.getRet()).isEqualTo(-1);
            assertThat(r.getErrno()).isEqualTo(Errno.EBADF);
            assertThat(t.close(-1).getErrno()).isEqualTo(Errno.EBADF);
            assertThat(t.sendto(7, new byte[]{1}, 0, 1, 0).getErrno()).isEqualTo(Errno.EBADF);
        }
        assertThat(downloadOk(64 * 1024)).isEqualTo(64 * 1024);
    }

    @Test
    void connect_notAllowListed_returnsEconnrefused_andMachineStaysUsable() {
        try (UserThread t = kernel.attach(machineId, "relay-attempt")) {
            for (String host : List.of("127.0.0.1", "example.com", "bulk.test")) {
                int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                int port = host.equals("bulk.test") ? 81 : upstream.port();
                SyscallReply r = t.connect(fd, host, port);
                assertThat(r.getErrno()).as("connect %s:%d", host, port).isEqualTo(Errno.ECONNREFUSED);
                assertThat(t.close(fd).getRet()).isZero();
            }
        }
        assertThat(downloadOk(64 * 1024)).isEqualTo(64 * 1024);
    }

    @Test
    void socketCalls_badArguments_getLinuxErrnos() {
        try (UserThread t = kernel.attach(machineId, "bad-args")) {
            assertThat(t.socket(10, Errno.SOCK_STREAM, 0).getErrno()).isEqualTo(Errno.EAFNOSUPPORT);
            assertThat(t.socket(Errno.AF_INET, 2, 0).getErrno()).isEqualTo(Errno.EPROTONOSUPPORT);
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(fd).isEqualTo(3);
            assertThat(t.recvfrom(fd, 4096, 0).getErrno()).isEqualTo(Errno.ENOTCONN);
            assertThat(t.sendto(fd, new byte[]{1}, 0, 1, 0).getErrno()).isEqualTo(Errno.ENOTCONN);
            assertThat(t.connect(fd, "bulk.test", 0).getErrno()).isEqualTo(Errno.EINVAL);
            assertThat(t.recvfrom(fd, -1, 0).getErrno()).isEqualTo(Errno.EINVAL);
            assertThat(t.nanosleep(-5).getErrno()).isEqualTo(Errno.EINVAL);
            assertThat(t.clockGettime(99).getErrno()).isEqualTo(Errno.EINVAL);
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getRet()).isNotNegative();
        }
    }

    @Test
    void userThreadSilentInUserspace_isKilledByTheWatchdog_andMachineStaysUsable() throws Exception {
        String id = admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL)
                .putOverrides("watchdog.userspace_ms", "300").build()).getId();
        UserThread t = kernel.attach(id, "silent");
        assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
        Thread.sleep(1500); // "userspace" for longer than the watchdog allows
        assertThatThrownBy(() -> t.clockGettime(Errno.CLOCK_MONOTONIC))
                .isInstanceOf(KernelException.class).hasMessageContaining("watchdog");
        MachineStats s = admin.stats(MachineRef.newBuilder().setId(id).build());
        assertThat(s.getCountersMap()).containsEntry("user_threads_killed", 1L);
        machineId = id;
        assertThat(downloadOk(16 * 1024)).isEqualTo(16 * 1024);
    }

    @Test
    void socketTables_runOut_withEmfileThenEnfile() {
        // live clock: one test thread drives three user threads in turn; on the virtual clock an attached
        // thread that sends nothing is "running userspace" and holds simulated time until the watchdog
        String id = admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_LIVE).build()).getId();
        try (UserThread a = kernel.attach(id, "a"); UserThread b = kernel.attach(id, "b"); UserThread c = kernel.attach(id, "c")) {
            for (int i = 0; i < 16; i++) {
                assertThat(a.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet()).isEqualTo(3 + i);
            }
            assertThat(a.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getErrno()).as("per process").isEqualTo(Errno.EMFILE);
            for (int i = 0; i < 16; i++) {
                assertThat(b.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet()).isNotNegative();
            }
            assertThat(c.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getErrno()).as("machine-wide 32").isEqualTo(Errno.ENFILE);
            assertThat(a.close(3).getRet()).isZero();
        }
    }

    @Test
    void threadSlots_runOut_attachIsResourceExhausted_thenFreeAgain() {
        String id = admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_LIVE).build()).getId();
        java.util.List<UserThread> threads = new java.util.ArrayList<>();
        // user slots 8-31, less the one herd holds (threads.herd=on, as Akuma auto-starts it)
        for (int i = 0; i < 23; i++) {
            threads.add(kernel.attach(id, "t" + i));
        }
        assertThatThrownBy(() -> kernel.attach(id, "one-too-many"))
                .isInstanceOf(KernelException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
        threads.forEach(UserThread::close);
        try (UserThread t = kernel.attach(id, "after")) {
            assertThat(t.tid()).isBetween(9, 31);
        }
    }

    @Test
    void networkNotUpYet_socketIsEnetdown_untilTheBootDelayPasses() {
        String id = admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL)
                .putOverrides("net.boot_delay_ms", "100").build()).getId();
        try (UserThread t = kernel.attach(id, "early")) {
            assertThat(t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getErrno()).isEqualTo(Errno.ENETDOWN);
            t.nanosleep(150_000_000L);
            assertThat(t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet()).isEqualTo(3);
        }
    }

    @Test
    void closedSocketToASilentPeer_staysUntilTheLingerSettingFreesIt() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            KernelSimProperties p = new KernelSimProperties();
            p.setDefaultMachine(false);
            p.setUpstreams(List.of("silent.test:80=127.0.0.1:" + silent.getLocalPort()));
            try (MachineRegistry r = new MachineRegistry(p, KernelListener.NONE, System::nanoTime)) {
                io.testbed.kernel.sim.api.inprocess.InProcessKernel k = new io.testbed.kernel.sim.api.inprocess.InProcessKernel(r, Duration.ofSeconds(20));
                for (String linger : new String[]{"0", "1000"}) {
                    String id = r.create("l", "", java.util.Map.of("tcp.closed_linger_ms", linger), Clock.CLOCK_VIRTUAL, 1).id();
                    try (UserThread t = k.attach(id, "closer")) {
                        int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                        assertThat(t.connect(fd, "silent.test", 80).getRet()).isZero();
                        t.close(fd);
                        t.nanosleep(2_000_000_000L);
                        long open = r.get(id).loop().stats().get().getCountersMap().get("sockets_open");
                        // Akuma (0): the half-closed socket stays while the peer never sends its FIN
                        assertThat(open).as("linger %s ms", linger).isEqualTo(linger.equals("0") ? 1L : 0L);
                    }
                    // once its thread is gone, nobody owns the socket: it is reset and the machine goes quiet
                    java.util.Map<String, Long> c = r.get(id).loop().stats().get().getCountersMap();
                    for (int i = 0; i < 200 && c.get("quiescent") == 0; i++) {
                        Thread.sleep(10);
                        c = r.get(id).loop().stats().get().getCountersMap();
                    }
                    assertThat(c).containsEntry("sockets_open", 0L).containsEntry("quiescent", 1L);
                }
            }
        }
    }

    @Test
    void unknownMachine_attachFailsWithNotFound() {
        assertThatThrownBy(() -> kernel.attach("no-such-machine", "x"))
                .isInstanceOf(KernelException.class).hasMessageContaining("NOT_FOUND");
    }

    @Test
    void admin_badProfileOrSetting_isInvalidArgument() {
        assertThatThrownBy(() -> admin.create(CreateMachineRequest.newBuilder().setProfile("nope").build()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("unknown profile");
        assertThatThrownBy(() -> admin.create(CreateMachineRequest.newBuilder().putOverrides("sched.network_thread_ratio", "0").build()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("between 1 and 1000");
        Machine m = admin.get(MachineRef.newBuilder().setId(machineId).build());
        assertThat(m.getSettingsMap()).containsEntry("sched.network_thread_ratio", "4").containsEntry("syscall.eagain_iterations", "50");
    }

    @Test
    void clientClosesStreamMidDownload_threadAndSocketsReaped() throws Exception {
        UserThread t = kernel.attach(machineId, "vanishing");
        int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
        assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
        byte[] req = BulkServer.request(1 << 20);
        t.sendto(fd, req, 0, req.length, 0);
        t.recvfrom(fd, 4096, 0);
        channel.shutdownNow();
        kernel.close();
        channel = channelTo(server);
        kernel = kernelTo(channel, properties, registry);
        admin = MachinesGrpc.newBlockingStub(channel);
        MachineStats s = null;
        for (int i = 0; i < 200; i++) {
            s = admin.stats(MachineRef.newBuilder().setId(machineId).build());
            if (s.getCountersMap().get("user_threads") == 0 && s.getCountersMap().get("sockets_open") == 0) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(s.getCountersMap()).containsEntry("user_threads", 0L).containsEntry("sockets_open", 0L)
                .containsEntry("user_threads_killed", 1L);
        assertThat(downloadOk(32 * 1024)).isEqualTo(32 * 1024);
    }

    private long downloadOk(int n) {
        try (UserThread t = kernel.attach(machineId, "after")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            byte[] req = BulkServer.request(n);
            t.sendto(fd, req, 0, req.length, 0);
            long got = 0;
            while (true) {
                SyscallReply r = t.recvfrom(fd, 4096, 0);
                if (r.getRet() == 0) {
                    break;
                }
                if (r.getRet() < 0) {
                    t.nanosleep(1_000_000);
                    continue;
                }
                got += r.getRet();
            }
            t.close(fd);
            return got;
        }
    }
}
