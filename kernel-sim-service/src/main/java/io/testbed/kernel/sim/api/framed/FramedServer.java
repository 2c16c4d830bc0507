package io.testbed.kernel.sim.api.framed;

import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.sim.api.grpc.SyscallService;
import io.testbed.kernel.sim.api.grpc.UnixSocketPath;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kernel-sim's framed syscall listener (issue 19), on when {@code testbed.kernel.framed.uds-path} is set: a Unix
 * domain socket under the same rules as the gRPC one ({@link UnixSocketPath}: a private directory, an owner-only file,
 * a stale socket replaced, a live one or another file refused, removed at stop), each connection one user thread
 * served by a {@link FramedConnection} on a thread of its own. It wants the gRPC port's bearer token whenever that
 * port does (in the hello frame). A client that cannot reach the gRPC port's admin calls does not need them: the
 * machines are made through the gRPC port or the gateway as before.
 */
public class FramedServer implements SmartLifecycle {
    static final String SETTING = "testbed.kernel.framed.uds-path";
    private static final System.Logger LOG = System.getLogger(FramedServer.class.getName());
    private final KernelSimProperties.Framed config;
    private final MachineRegistry registry;
    private final BearerToken token;
    private final Set<FramedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean running;
    private ServerSocketChannel server;
    private UnixSocketPath socket;
    private Thread acceptor;

    /** @param token the token every connection's hello must carry, or null for none */
    public FramedServer(KernelSimProperties properties, MachineRegistry registry, BearerToken token) {
        this.config = properties.getFramed();
        this.registry = registry;
        this.token = token;
    }

    @Override
    public void start() {
        running = true;
        if (config.getUdsPath().isEmpty()) {
            return;
        }
        socket = UnixSocketPath.prepare(SETTING, config.getUdsPath());
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket.path()));
        } catch (IOException e) {
            Path path = socket.path();
            // not bound: the file, if any, is not ours to remove at stop
            socket = null;
            stop();
            throw new UncheckedIOException("cannot listen on " + SETTING + " " + path + ": " + e.getMessage(), e);
        }
        socket.restrict();
        SyscallService syscalls = new SyscallService(registry);
        acceptor = new Thread(() -> accept(syscalls), "framed-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(System.Logger.Level.INFO, "kernel-sim framed syscalls listening on unix:{0}{1}", socket.path(),
                token == null ? "" : ", bearer token required");
    }

    private void accept(SyscallService syscalls) {
        while (running) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "framed listener stopped accepting: {0}", e.toString());
                }
                return;
            }
            try {
                FramedConnection c = new FramedConnection(ch, syscalls, token, config.getMaxFrameBytes(), this);
                connections.add(c);
                Thread t = new Thread(c, "framed-" + accepted.incrementAndGet());
                t.setDaemon(true);
                t.start();
                if (!running) {
                    c.shutdown();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "framed connection not served: {0}", e.toString());
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // gone
                }
            }
        }
    }

    void closed(FramedConnection c) {
        connections.remove(c);
    }

    /** The socket's path, or null when there is no framed listener. */
    public Path udsPath() {
        return server == null ? null : socket.path();
    }

    /** Connections open now (tests). */
    int connections() {
        return connections.size();
    }

    @Override
    public void stop() {
        running = false;
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            server = null;
        }
        if (acceptor != null) {
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        // every client hears that kernel-sim stops; its thread is reaped as for a cancelled gRPC stream
        List.copyOf(connections).forEach(FramedConnection::shutdown);
        if (socket != null) {
            socket.remove();
            socket = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
