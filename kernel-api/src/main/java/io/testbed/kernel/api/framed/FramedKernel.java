package io.testbed.kernel.api.framed;

import com.google.protobuf.InvalidProtocolBufferException;
import io.testbed.kernel.api.AwaitingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The framed binding of {@link Kernel} (issue 19): each user thread is one connection to kernel-sim's framed Unix
 * domain socket ({@code testbed.kernel.framed.uds-path}) carrying {@link Frames}. The calling thread writes its
 * request and reads its reply itself, on a non-blocking channel with a selector of its own, so a syscall costs no
 * hand-off to a transport thread, and still waits at most the reply timeout. A kernel that ends the thread (exit,
 * kill, a refused token) says why in an end frame; a connection that closes without one is a kernel-sim that
 * stopped or crashed. Either way the pending and every later syscall fail with a {@link KernelException}, as over
 * gRPC.
 */
public final class FramedKernel implements Kernel {
    /** The target scheme: {@code framed:///absolute/path/of/the/socket}. */
    public static final String SCHEME = "framed://";

    private final Path socket;
    private final String authorization;
    private final Duration replyTimeout;
    private final int maxReplyBytes;
    private final Set<FramedThread> open = ConcurrentHashMap.newKeySet();

    /**
     * @param socket        kernel-sim's framed socket
     * @param authorization the {@code Authorization} value kernel-sim wants ({@code Bearer <token>};
     *                      {@code BearerToken.headerValue()}), or null for none
     * @param replyTimeout  the longest real time to wait for one reply (a live-clock nanosleep takes real time)
     * @param maxReplyBytes the largest reply accepted; a larger one ends the thread
     */
    public FramedKernel(Path socket, String authorization, Duration replyTimeout, int maxReplyBytes) {
        this.socket = socket;
        this.authorization = authorization;
        this.replyTimeout = replyTimeout;
        this.maxReplyBytes = maxReplyBytes;
    }

    @Override
    public UserThread attach(String machineId, String threadName, String owner) {
        FramedThread thread = connect();
        thread.attachTo(machineId, threadName, owner);
        return thread;
    }

    private FramedThread connect() {
        SocketChannel ch = null;
        Selector selector = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            selector = Selector.open();
            FramedThread t = new FramedThread(ch, selector, ch.register(selector, SelectionKey.OP_READ));
            open.add(t);
            return t;
        } catch (IOException e) {
            FramedKernel.close(ch, selector);
            throw new KernelException("kernel-sim unreachable at " + SCHEME + socket + ": " + e.getMessage(), e);
        }
    }

    private static void close(SocketChannel ch, Selector selector) {
        try {
            if (ch != null) {
                ch.close();
            }
            // a registered channel's socket closes once its selector lets it go
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Disconnects every thread this kernel attached and that is still open (kernel-sim kills them). */
    @Override
    public void close() {
        open.forEach(FramedThread::disconnect);
    }

    private final class FramedThread extends AwaitingUserThread {
        private final SocketChannel ch;
        private final Selector selector;
        private final SelectionKey key;
        private final FrameReader reader = new FrameReader(maxReplyBytes);
        private ByteBuffer hello = Frames.hello(authorization);
        private volatile boolean gone;

        FramedThread(SocketChannel ch, Selector selector, SelectionKey key) {
            super(replyTimeout, true);
            this.ch = ch;
            this.selector = selector;
            this.key = key;
        }

        void attachTo(String machineId, String threadName, String owner) {
            attach(machineId, threadName, owner);
        }

        @Override
        protected void send(SyscallRequest request) {
            ByteBuffer frame = Frames.encode(Frames.REQUEST, request);
            if (hello != null) {
                // the hello and the attach in one write
                frame = ByteBuffer.allocate(hello.remaining() + frame.remaining()).put(hello).put(frame).flip();
                hello = null;
            }
            try {
                write(frame);
            } catch (ClosedByInterruptException e) {
                // the interrupt stays set for the caller
                disconnect();
                throw new KernelException("interrupted while sending to the kernel", e);
            } catch (IOException | ClosedSelectorException | CancelledKeyException e) {
                if (endedByKernel()) {
                    // the kernel ended the thread while it was in userspace (a kill, the watchdog): its end frame says why
                    return;
                }
                disconnect();
                throw new KernelException(SCHEME + socket + ": kernel-sim closed the connection without an end frame"
                        + " (it stopped or crashed): " + e.getMessage(), e);
            }
        }

        /** After a failed write: whether the kernel had sent an end frame (then taken: the thread has ended). */
        private boolean endedByKernel() {
            try {
                while (reader.readFrom(ch) > 0) {
                    // all the kernel sent before it closed
                }
            } catch (IOException ignored) {
                // what was read is in the reader
            }
            try {
                FrameReader.Frame f;
                while ((f = reader.next()) != null) {
                    if (f.kind() == Frames.END) {
                        take(f);
                        return true;
                    }
                }
            } catch (IOException ignored) {
                // no end frame in what came
            }
            return false;
        }

        /** Writes the whole frame; waits for room (the kernel reads each request at once, so rarely) up to the reply timeout. */
        private void write(ByteBuffer frame) throws IOException {
            ch.write(frame);
            if (!frame.hasRemaining()) {
                return;
            }
            long deadline = System.nanoTime() + replyTimeout.toNanos();
            key.interestOps(SelectionKey.OP_WRITE);
            try {
                while (frame.hasRemaining()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("kernel-sim took no request bytes for " + replyTimeout.toMillis() + " ms");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    ch.write(frame);
                }
            } finally {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        @Override
        protected void receive(long timeoutMs) throws InterruptedException {
            if (gone) {
                return; // ended already: what ended it is queued
            }
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            boolean atEnd = false;
            try {
                while (true) {
                    FrameReader.Frame f = reader.next();
                    if (f != null) {
                        take(f);
                        return;
                    }
                    if (atEnd) {
                        disconnect();
                        ended(reader.midFrame() ? "kernel-sim closed the connection inside a frame"
                                : "kernel-sim closed the connection without an end frame (it stopped or crashed)", null);
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    atEnd = reader.readFrom(ch) < 0;
                }
            } catch (ClosedByInterruptException e) {
                disconnect();
                Thread.interrupted();
                throw new InterruptedException();
            } catch (IOException | ClosedSelectorException e) {
                // a reset (the kernel closed with our request unread) is the same end as a close: no end frame came
                disconnect();
                ended((reader.midFrame() ? "kernel-sim closed the connection inside a frame"
                        : "kernel-sim closed the connection without an end frame (it stopped or crashed)") + ": " + e, e);
            }
        }

        private void take(FrameReader.Frame f) throws IOException {
            switch (f.kind()) {
                case Frames.REPLY -> {
                    try {
                        delivered(SyscallReply.parser().parseFrom(f.array(), f.offset(), f.length()));
                    } catch (InvalidProtocolBufferException e) {
                        disconnect();
                        ended("kernel-sim sent a reply that does not parse: " + e.getMessage(), e);
                    }
                }
                case Frames.END -> {
                    disconnect();
                    ended(new String(f.array(), f.offset(), f.length(), StandardCharsets.UTF_8), null);
                }
                default -> {
                    disconnect();
                    ended("kernel-sim sent a frame of unknown kind " + f.kind(), null);
                }
            }
        }

        @Override
        protected void abort(String why) {
            disconnect();
        }

        @Override
        protected void released() {
            disconnect();
        }

        void disconnect() {
            gone = true;
            open.remove(this);
            FramedKernel.close(ch, selector);
        }
    }
}
