package io.testbed.kernel.sim.api.framed;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.testbed.kernel.api.framed.FrameReader;
import io.testbed.kernel.api.framed.Frames;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.api.grpc.SyscallService;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection of the framed socket: one user thread. Its own thread reads the client's frames (after the
 * hello and its token check) into {@link SyscallService}'s per-thread stream, exactly as gRPC's transport would, so
 * attach, detach, protocol errors, kills and the kernel-run would-block loop stay in that one place. To that stream
 * this object is the reply side, a {@link ServerCallStreamObserver}: the engine thread writes each reply to the
 * socket itself, without blocking (the channel is non-blocking); what the socket does not take at once is queued,
 * and this connection's thread writes it when the client reads, reading no further request meanwhile. An end of the
 * stream (exit, kill, protocol error) is an end frame, after which the connection closes.
 */
final class FramedConnection extends ServerCallStreamObserver<SyscallReply> implements Runnable {
    private static final System.Logger LOG = System.getLogger(FramedConnection.class.getName());
    /** Replies queued for a client that does not read beyond which it is dropped (a reply is at most a few MiB). */
    static final long MAX_QUEUED_BYTES = 16L << 20;
    /** At the end, how many selects (1 s each) without the client taking a byte before the rest is dropped. */
    private static final int DRAIN_STALLS = 10;

    private final SocketChannel ch;
    private final Selector selector;
    private final SelectionKey key;
    private final SyscallService syscalls;
    private final BearerToken token;
    private final FrameReader reader;
    private final FramedServer server;

    private final Object out = new Object();
    // guarded by out
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private long queuedBytes;
    /** An end frame is queued (or the client has gone): write what is queued, then close. */
    private boolean ending;
    /** The socket failed a write or the client took too little: close now. */
    private boolean broken;

    /** The service's stream of this thread, once the hello was accepted; touched by this connection's thread only. */
    private StreamObserver<SyscallRequest> in;
    private volatile boolean cancelled;
    private volatile Runnable onCancel;

    FramedConnection(SocketChannel ch, SyscallService syscalls, BearerToken token, int maxFrameBytes, FramedServer server)
            throws IOException {
        this.ch = ch;
        this.syscalls = syscalls;
        this.token = token;
        this.reader = new FrameReader(maxFrameBytes);
        this.server = server;
        ch.configureBlocking(false);
        selector = Selector.open();
        key = ch.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public void run() {
        int stalls = 0;
        try {
            while (true) {
                boolean writing;
                boolean closing;
                synchronized (out) {
                    if (broken || ending && queued.isEmpty()) {
                        break;
                    }
                    writing = !queued.isEmpty();
                    closing = ending;
                }
                // a client that does not read its replies gets no further request read: the engine never waits on it
                key.interestOps(writing ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                selector.select(closing ? 1000 : 0);
                selector.selectedKeys().clear();
                if (writing) {
                    stalls = flush() || !closing ? 0 : stalls + 1;
                    if (closing && stalls >= DRAIN_STALLS) {
                        break;
                    }
                } else if (!read()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "framed connection ended: {0}", e.toString());
        } finally {
            finish();
        }
    }

    /** Reads and handles what the client sent; false at the end of the stream or on an error (the connection closes). */
    private boolean read() throws IOException {
        int n;
        try {
            n = reader.readFrom(ch);
        } catch (IOException e) {
            // reset by the client: reaped as a cancelled gRPC call (finish)
            return false;
        }
        try {
            FrameReader.Frame f;
            while ((f = reader.next()) != null) {
                if (!handle(f)) {
                    return true;
                }
            }
        } catch (FrameReader.FrameTooLarge e) {
            refuse(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage() + " (testbed.kernel.framed.max-frame-bytes)"));
            return true;
        }
        if (n < 0) {
            if (reader.midFrame()) {
                refuse(Status.INVALID_ARGUMENT.withDescription("the stream ended inside a frame"));
                return true;
            }
            synchronized (out) {
                ending = true;
            }
            if (in != null) {
                // the client closed its side: as a gRPC half-close (the thread is detached; its end frame goes nowhere)
                in.onCompleted();
            }
            return false;
        }
        return true;
    }

    /** One frame from the client; false when it ended the connection. */
    private boolean handle(FrameReader.Frame f) {
        if (in == null) {
            if (f.kind() != Frames.HELLO) {
                refuse(Status.FAILED_PRECONDITION.withDescription("the first frame must be a hello ('" + Frames.VERSION
                        + "'): is this a framed syscall client?"));
                return false;
            }
            String authorization = Frames.authorization(f.array(), f.offset(), f.length());
            if (authorization == null) {
                refuse(Status.FAILED_PRECONDITION.withDescription("the hello is not '" + Frames.VERSION + "'"));
                return false;
            }
            if (token != null && !token.matches(authorization)) {
                // the same words as the gRPC port's token check
                refuse(Status.UNAUTHENTICATED.withDescription(authorization.isEmpty()
                        ? "this kernel wants a bearer token: send 'Bearer <testbed.security.token>' in the hello"
                        : "the bearer token is not this kernel's testbed.security.token"));
                return false;
            }
            in = syscalls.thread(this);
            return true;
        }
        if (f.kind() != Frames.REQUEST) {
            refuse(Status.INVALID_ARGUMENT.withDescription("a client sends requests after its hello, not a frame of kind " + f.kind()));
            return false;
        }
        SyscallRequest request;
        try {
            request = SyscallRequest.parser().parseFrom(f.array(), f.offset(), f.length());
        } catch (InvalidProtocolBufferException e) {
            refuse(Status.INVALID_ARGUMENT.withDescription("a request that does not parse: " + e.getMessage()));
            return false;
        }
        synchronized (out) {
            if (ending || broken) {
                return false;
            }
        }
        in.onNext(request);
        return true;
    }

    /** A protocol error of the connection's own (gRPC's transport would end the call so): an end frame, the thread reaped. */
    private void refuse(Status status) {
        boolean first = end(Frames.end(status.getCode().name(), status.getDescription()));
        if (first && in != null) {
            in.onError(status.asRuntimeException());
        }
    }

    /** The client is gone (or kernel-sim stops): the thread is reaped as for a cancelled gRPC call. */
    private void cancel() {
        cancelled = true;
        Runnable r = onCancel;
        if (r != null) {
            r.run();
        }
    }

    /** kernel-sim stops: the client hears why, its thread is reaped. */
    void shutdown() {
        if (end(Frames.end(Status.Code.UNAVAILABLE.name(), "kernel-sim is stopping"))) {
            cancel();
        }
    }

    private void finish() {
        boolean reap;
        synchronized (out) {
            // a connection that ended without an end frame or a client's half-close: reap the thread as a cancel would
            reap = !ending;
            ending = true;
            queued.clear();
        }
        if (reap && in != null) {
            cancel();
        }
        try {
            ch.close();
            selector.close();
        } catch (IOException ignored) {
            // closed either way
        }
        server.closed(this);
    }

    /** Queues the end frame (the last one); false when the stream had ended already. */
    private boolean end(ByteBuffer frame) {
        synchronized (out) {
            if (ending || broken) {
                return false;
            }
            write(frame);
            ending = true;
        }
        selector.wakeup();
        return true;
    }

    /** Engine thread (or this one): as much as the socket takes now, the rest queued; never waits. Holds out. */
    private void write(ByteBuffer frame) {
        if (queued.isEmpty()) {
            try {
                ch.write(frame);
            } catch (IOException e) {
                broken = true;
                selector.wakeup();
                return;
            }
        }
        if (frame.hasRemaining()) {
            boolean wake = queued.isEmpty();
            queued.add(frame);
            queuedBytes += frame.remaining();
            if (queuedBytes > MAX_QUEUED_BYTES) {
                LOG.log(System.Logger.Level.WARNING, "framed client does not read its replies ({0} bytes queued): dropped",
                        queuedBytes);
                broken = true;
                wake = true;
            }
            if (wake) {
                selector.wakeup();
            }
        }
    }

    /** Writes queued frames; whether any byte moved. */
    private boolean flush() {
        synchronized (out) {
            boolean moved = false;
            while (!queued.isEmpty()) {
                ByteBuffer b = queued.peek();
                int n;
                try {
                    n = ch.write(b);
                } catch (IOException e) {
                    broken = true;
                    return moved;
                }
                moved |= n > 0;
                queuedBytes -= n;
                if (b.hasRemaining()) {
                    return moved;
                }
                queued.poll();
            }
            return moved;
        }
    }

    // ---- the reply side of SyscallService's stream (engine thread, or this one for ends it makes itself) ----

    @Override
    public void onNext(SyscallReply reply) {
        ByteBuffer frame = Frames.encode(Frames.REPLY, reply);
        synchronized (out) {
            if (ending || broken) {
                return;
            }
            write(frame);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        end(Frames.end(s.getCode().name(), s.getDescription()));
    }

    @Override
    public void onCompleted() {
        end(Frames.end(Frames.OK, "thread ended"));
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
    public boolean isReady() {
        return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
    }

    @Override
    public void setCompression(String compression) {
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
