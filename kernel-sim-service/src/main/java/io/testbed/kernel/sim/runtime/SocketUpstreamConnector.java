package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.net.remote.Upstream;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;
import io.testbed.kernel.sim.net.remote.UpstreamListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Real TCP upstreams for one machine, to allow-listed endpoints only. Each connection has a reader
 * thread (bounded read-ahead, released as the model consumes) and a writer thread (writes in order);
 * both report through the machine's inbox so the model sees every event on its engine thread. Where the
 * allow-list names the upstream's mark feed (and the machine's {@code upstream.sync} is {@code marks}),
 * a connection subscribes to the marks of its real socket's local port once connected, keeps those of
 * its own server-side connection in order (the newest connection on that port, sequence numbers
 * increasing) and reports them through the inbox too.
 */
public final class SocketUpstreamConnector implements UpstreamConnector {
    private static final System.Logger LOG = System.getLogger(SocketUpstreamConnector.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory FACTORY = r -> {
        Thread t = new Thread(r, "upstream-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    };
    private static final ExecutorService IO = Executors.newCachedThreadPool(FACTORY);

    private final AllowList allowList;
    private final java.util.function.Consumer<Runnable> engine;
    private final int readAheadBytes;
    private final int connectTimeoutMs;
    private final boolean useMarks;

    /**
     * @param engine   runs a callback on the machine's engine thread
     * @param useMarks subscribe to the marks of upstreams that have a mark feed ({@code upstream.sync=marks})
     */
    public SocketUpstreamConnector(AllowList allowList, java.util.function.Consumer<Runnable> engine,
                                   int readAheadBytes, int connectTimeoutMs, boolean useMarks) {
        this.allowList = allowList;
        this.engine = engine;
        this.readAheadBytes = readAheadBytes;
        this.connectTimeoutMs = connectTimeoutMs;
        this.useMarks = useMarks;
    }

    @Override
    public Upstream open(String host, int port, UpstreamListener listener) {
        AllowList.Entry entry = allowList.entry(host, port);
        if (entry == null) {
            return null;
        }
        return new Connection(entry.real(), useMarks ? entry.marks() : null, listener);
    }

    private final class Connection implements Upstream, MarkFeed.Listener {
        private final InetSocketAddress target;
        private final MarkFeed feed;
        private final UpstreamListener listener;
        private volatile MarkFeed.Subscription subscription;
        // the server-side connection whose marks count, and its last sequence number (feed thread only)
        private long boundConn = -1;
        private long lastSeq;
        private final Socket socket = new Socket();
        private final LinkedBlockingQueue<byte[]> writes = new LinkedBlockingQueue<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition creditAvailable = lock.newCondition();
        private long credit = readAheadBytes;
        private volatile boolean closed;
        private static final byte[] SHUTDOWN = new byte[0];

        Connection(InetSocketAddress target, MarkFeed feed, UpstreamListener listener) {
            this.target = target;
            this.feed = feed;
            this.listener = listener;
        }

        @Override
        public boolean marks() {
            return feed != null;
        }

        @Override
        public void mark(long conn, long seq, long read, long written, boolean closed) {
            synchronized (this) {
                if (conn < boundConn) {
                    return; // an older connection that had the same local port
                }
                if (conn > boundConn) {
                    boundConn = conn;
                    lastSeq = 0;
                }
                if (seq <= lastSeq) {
                    return; // seen already (a subscription's first mark may repeat one)
                }
                lastSeq = seq;
            }
            engine.accept(() -> listener.marked(read, written, closed));
        }

        @Override
        public void lost(String why) {
            engine.accept(() -> listener.marksLost(why));
        }

        @Override
        public void connect() {
            IO.execute(() -> {
                try {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(target.getHostString(), target.getPort()), connectTimeoutMs);
                } catch (IOException e) {
                    engine.accept(() -> listener.refused(e.getMessage()));
                    closeQuietly();
                    return;
                }
                if (feed != null && !closed) {
                    // before the client's first byte can reach the server; marks already due come at once
                    subscription = feed.subscribe(socket.getLocalPort(), this);
                    if (closed) {
                        subscription.cancel(); // closed meanwhile: close() may have missed it
                    }
                }
                engine.accept(listener::connected);
                IO.execute(this::readLoop);
                IO.execute(this::writeLoop);
            });
        }

        private void readLoop() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = socket.getInputStream();
                while (!closed) {
                    int want = acquireCredit(buf.length);
                    if (want <= 0) {
                        return;
                    }
                    int n = in.read(buf, 0, want);
                    if (n < 0) {
                        engine.accept(listener::eof);
                        return;
                    }
                    release(want - n);
                    byte[] chunk = java.util.Arrays.copyOf(buf, n);
                    engine.accept(() -> listener.data(chunk));
                }
            } catch (SocketException e) {
                if (!closed) {
                    String why = e.getMessage();
                    engine.accept(() -> listener.reset(why));
                }
            } catch (IOException e) {
                if (!closed) {
                    String why = e.getMessage();
                    engine.accept(() -> listener.reset(why));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = socket.getOutputStream();
                while (!closed) {
                    byte[] data = writes.take();
                    if (data == SHUTDOWN) {
                        if (!socket.isClosed()) {
                            socket.shutdownOutput();
                        }
                        continue;
                    }
                    if (data.length == 0 && closed) {
                        return;
                    }
                    out.write(data);
                    out.flush();
                    engine.accept(listener::writeDone);
                }
            } catch (IOException e) {
                if (!closed) {
                    String why = e.getMessage();
                    engine.accept(() -> listener.reset(why));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private int acquireCredit(int max) throws InterruptedException {
            lock.lock();
            try {
                while (credit <= 0 && !closed) {
                    creditAvailable.await();
                }
                if (closed) {
                    return 0;
                }
                int n = (int) Math.min(max, credit);
                credit -= n;
                return n;
            } finally {
                lock.unlock();
            }
        }

        private void release(int bytes) {
            if (bytes <= 0) {
                return;
            }
            lock.lock();
            try {
                credit += bytes;
                creditAvailable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] data) {
            writes.add(data);
        }

        @Override
        public void shutdownOutput() {
            writes.add(SHUTDOWN);
        }

        @Override
        public void consumed(int bytes) {
            release(bytes);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            MarkFeed.Subscription sub = subscription;
            if (sub != null) {
                sub.cancel();
            }
            writes.add(new byte[0]);
            lock.lock();
            try {
                creditAvailable.signalAll();
            } finally {
                lock.unlock();
            }
            closeQuietly();
        }

        private void closeQuietly() {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing upstream: {0}", e.getMessage());
            }
        }
    }
}
