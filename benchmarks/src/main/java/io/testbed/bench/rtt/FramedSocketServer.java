package io.testbed.bench.rtt;

import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * PROTOTYPE (issue 19, measured only; not a kernel-sim transport): the syscall stream without HTTP/2, as
 * length-prefixed {@code SyscallRequest}/{@code SyscallReply} on a Unix domain socket, one connection per user
 * thread. A reader thread per connection hands requests to the machine's inbox, and the engine thread writes each
 * reply straight to the socket, so a round trip has three wake-ups (client -> reader, reader -> engine,
 * engine -> client) instead of gRPC's six. No token, no cancellation, no flow control, and a client that
 * stops reading would block the engine thread: what a real version must add is in docs (transport note).
 */
final class FramedSocketServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final MachineRegistry registry;

    FramedSocketServer(Path path, MachineRegistry registry) throws IOException {
        this.registry = registry;
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

    private void serve(SocketChannel ch) {
        Sink sink = new Sink(ch);
        Machine machine = null;
        int tid = -1;
        try (ch) {
            SyscallRequest req;
            while ((req = Frames.read(ch, SyscallRequest.parser())) != null) {
                if (tid < 0) {
                    machine = registry.get(req.getAttach().getMachineId());
                    tid = machine.loop().attach(req.getAttach().getName(), req.getAttach().getOwner(), sink).get();
                    sink.reply(SyscallReply.newBuilder().setSeq(req.getSeq()).setRet(tid).setTid(tid).build());
                } else {
                    machine.loop().submit(tid, sink, req);
                }
            }
        } catch (Exception e) {
            // the client went away
        } finally {
            if (machine != null && tid >= 0) {
                machine.loop().detach(tid, sink, "client closed the connection");
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static final class Sink implements ReplySink {
        private final SocketChannel ch;

        Sink(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public synchronized void reply(SyscallReply reply) {
            try {
                Frames.write(ch, reply);
            } catch (IOException ignored) {
                // the reader sees the end
            }
        }

        @Override
        public void ended(String reason) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
