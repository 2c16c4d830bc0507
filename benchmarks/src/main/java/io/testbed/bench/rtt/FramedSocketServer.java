package io.testbed.bench.rtt;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.api.grpc.SyscallService;
import io.testbed.kernel.sim.runtime.MachineRegistry;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * PROTOTYPE (issue 19, measured only; not a kernel-sim transport): the syscall stream without HTTP/2, as
 * length-prefixed {@code SyscallRequest}/{@code SyscallReply} on a Unix domain socket, one connection per user
 * thread, served by the service's own {@link SyscallService} stream logic unchanged (it only sees a
 * {@link ServerCallStreamObserver}). A reader thread per connection hands requests to the machine's inbox, and the
 * engine thread writes each reply straight to the socket, so a round trip has three wake-ups (client -> reader,
 * reader -> engine, engine -> client) instead of gRPC's six. No token, no reply timeout, and a client that stops
 * reading would block the engine thread: what a real version must add is in the transport note (session 6).
 */
final class FramedSocketServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SyscallService syscalls;

    FramedSocketServer(Path path, MachineRegistry registry) throws IOException {
        this.syscalls = new SyscallService(registry);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::accept, "framed-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "framed-reader");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The service's own per-thread stream logic (attach, submit, detach), fed from the socket instead of HTTP/2. */
    private void serve(SocketChannel ch) {
        Replies out = new Replies(ch);
        StreamObserver<SyscallRequest> in = syscalls.thread(out);
        try (ch) {
            SyscallRequest req;
            while ((req = Frames.read(ch, SyscallRequest.parser())) != null) {
                in.onNext(req);
            }
            in.onCompleted();
        } catch (IOException e) {
            out.cancelled();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The reply side as gRPC's server observer: the engine thread writes each reply to the socket itself. */
    private static final class Replies extends ServerCallStreamObserver<SyscallReply> {
        private final SocketChannel ch;
        private volatile boolean cancelled;
        private volatile Runnable onCancel;

        Replies(SocketChannel ch) {
            this.ch = ch;
        }

        void cancelled() {
            cancelled = true;
            Runnable r = onCancel;
            if (r != null) {
                r.run();
            }
        }

        @Override
        public synchronized void onNext(SyscallReply reply) {
            try {
                Frames.write(ch, reply);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onCompleted() {
            close();
        }

        private void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed already
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
            this.onCancel = onCancelHandler;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
