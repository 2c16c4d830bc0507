package io.testbed.bench.rtt;

import io.testbed.kernel.api.AwaitingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Attach;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * PROTOTYPE client of {@link FramedSocketServer}: the calling thread writes its request and reads the reply itself
 * (no transport thread, no hand-off on the client side); {@link AwaitingUserThread} numbers and checks as for the
 * other bindings. No reply timeout (a blocking read on a Unix socket channel has none).
 */
final class FramedSocketKernel implements Kernel {
    private final Path path;

    FramedSocketKernel(Path path) {
        this.path = path;
    }

    @Override
    public UserThread attach(String machineId, String threadName, String owner) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(ch);
        SyscallReply r = t.invoke(SyscallRequest.newBuilder()
                .setAttach(Attach.newBuilder().setMachineId(machineId).setName(threadName).setOwner(owner)));
        t.attachedAs(r.getTid());
        return t;
    }

    @Override
    public void close() {
    }

    private static final class Thread extends AwaitingUserThread {
        private final SocketChannel ch;

        Thread(SocketChannel ch) {
            super(Duration.ofSeconds(30));
            this.ch = ch;
        }

        void attachedAs(int tid) {
            attached(tid);
        }

        @Override
        protected void send(SyscallRequest request) {
            try {
                Frames.write(ch, request);
                SyscallReply reply = Frames.read(ch, SyscallReply.parser());
                if (reply == null) {
                    ended("connection closed by the kernel", null);
                } else {
                    delivered(reply);
                }
            } catch (IOException e) {
                throw new KernelException("framed socket: " + e, e);
            }
        }

        @Override
        protected void abort(String why) {
            released();
        }

        @Override
        protected void released() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
