package io.testbed.bench.model;

import io.testbed.kernel.sim.runtime.UpstreamGate;
import com.google.protobuf.ByteString;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.ClockGettime;
import io.testbed.kernel.api.v1.Close;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.runtime.MemoryUpstreamConnector;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;

/**
 * A virtual-clock {@link MachineModel} driven from the calling thread, with no engine thread, no
 * gRPC and no real socket: the engine alone. A raw-TCP download of {@code bytes} bytes from the
 * in-memory bulk server ({@link MemoryUpstreamConnector} at {@code bulk.test:80}: {@code "<n>\n"} in,
 * n bytes out), by a client that does what the seed's Akuma
 * client did: {@code recvfrom(4096)}, and on EAGAIN {@code nanosleep(sleepNs)}.
 *
 * <p>Upstream callbacks are queued and run between events, as the engine thread's inbox would run
 * them; the wall ticker jumps 1 s at each reading so no hold for a real upstream ever waits.
 */
public final class DrivenMachine {
    private final MachineModel model;
    private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    private final Client client;
    private long wall;

    public DrivenMachine(String profile, Map<String, String> overrides, long bytes, long sleepNs, int readSize) {
        this(profile, overrides, bytes, sleepNs, readSize, KernelListener.NONE);
    }

    public DrivenMachine(String profile, Map<String, String> overrides, long bytes, long sleepNs, int readSize,
                         KernelListener kernelListener) {
        MachineSettings settings = Profiles.resolve(profile, overrides);
        this.model = new MachineModel(settings, true, 1, UpstreamGate.peers(settings, () -> wall += 1_000_000_000L, true,
                new MemoryUpstreamConnector(Set.of("bulk.test:80"), inbox::add, settings.getInt(Settings.UPSTREAM_BUFFER_BYTES))), kernelListener);
        this.client = new Client(bytes, sleepNs, readSize);
        client.tid = model.attach("download", client);
        if (client.tid < 0) {
            throw new IllegalStateException("no free slot");
        }
    }

    public MachineModel model() {
        return model;
    }

    /** Engine events so far: fired from the queue plus CPU continuations run inline (as the machine's stats count them). */
    public static long events(MachineModel model) {
        return model.events().fired() + model.cpu().inlineSteps();
    }

    /** Runs the download to its end; returns the engine events (queued and inline). */
    public long run() {
        long before = events(model);
        while (!client.done) {
            Runnable r;
            while ((r = inbox.poll()) != null) {
                r.run();
            }
            if (model.cpu().waitingForClient() != null && client.pending != null) {
                SyscallRequest next = client.pending;
                client.pending = null;
                String refused = model.deliver(client.tid, client, next);
                if (refused != null) {
                    throw new IllegalStateException(refused);
                }
                continue;
            }
            model.holdUntil(wall);
            if (!model.events().fireNext()) {
                throw new IllegalStateException("no event left before the download ended");
            }
        }
        if (client.received != client.expected) {
            throw new IllegalStateException("received " + client.received + " of " + client.expected);
        }
        return events(model) - before;
    }

    public long simulatedNs() {
        return model.events().now();
    }

    public long received() {
        return client.received;
    }

    /** The client's program: socket, connect, send the request, read until EOF, close, exit. */
    private final class Client implements ReplySink {
        final long expected;
        final long sleepNs;
        final int readSize;
        int tid;
        int fd;
        int state;
        long received;
        boolean done;
        long seq;
        SyscallRequest pending;

        Client(long bytes, long sleepNs, int readSize) {
            this.expected = bytes;
            this.sleepNs = sleepNs;
            this.readSize = readSize;
            this.pending = request(SyscallRequest.newBuilder().setSocket(
                    Socket.newBuilder().setDomain(Errno.AF_INET).setType(Errno.SOCK_STREAM)));
        }

        private SyscallRequest request(SyscallRequest.Builder b) {
            return b.setSeq(++seq).build();
        }

        private SyscallRequest recv() {
            return request(SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(readSize)));
        }

        @Override
        public void reply(SyscallReply r) {
            switch (state) {
                case 0 -> {
                    fd = (int) r.getRet();
                    state = 1;
                    pending = request(SyscallRequest.newBuilder().setConnect(
                            Connect.newBuilder().setFd(fd).setHost("bulk.test").setPort(80)));
                }
                case 1 -> {
                    check(r);
                    state = 2;
                    byte[] req = (expected + "\n").getBytes(StandardCharsets.US_ASCII);
                    pending = request(SyscallRequest.newBuilder().setSendto(
                            SendTo.newBuilder().setFd(fd).setData(ByteString.copyFrom(req))));
                }
                case 2 -> {
                    check(r);
                    state = 3;
                    pending = recv();
                }
                case 3 -> {
                    if (r.getRet() < 0) {
                        if (r.getErrno() != Errno.EAGAIN) {
                            throw new IllegalStateException("recvfrom errno " + r.getErrno());
                        }
                        state = 4;
                        pending = request(SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(sleepNs)));
                    } else if (r.getRet() == 0) {
                        state = 5;
                        pending = request(SyscallRequest.newBuilder().setClose(Close.newBuilder().setFd(fd)));
                    } else {
                        received += r.getRet();
                        pending = recv();
                    }
                }
                case 4 -> {
                    state = 3;
                    pending = recv();
                }
                case 5 -> {
                    state = 6;
                    pending = request(SyscallRequest.newBuilder().setExit(Exit.newBuilder()));
                }
                default -> done = true;
            }
        }

        private void check(SyscallReply r) {
            if (r.getRet() < 0) {
                throw new IllegalStateException("syscall failed in state " + state + ": errno " + r.getErrno());
            }
        }

        @Override
        public void ended(String reason) {
            done = true;
        }
    }

    /** A request that does nothing but cross the syscall boundary. */
    public static SyscallRequest.Builder clockGettime() {
        return SyscallRequest.newBuilder().setClockGettime(ClockGettime.newBuilder().setClockId(Errno.CLOCK_MONOTONIC));
    }
}
