package io.testbed.kernel.sim.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of an upstream's mark feed (git-http-server's {@code MarkFeedServer}): one long-lived
 * TCP connection per allow-listed feed, shared by every machine, over which the kernel subscribes to the
 * marks of its own real sockets by their local port ({@code SUB <port>}, {@code UNSUB <port>}) and
 * receives {@code M <port> <conn> <seq> <read> <written> <W|C>} lines: "after reading {@code read} and
 * writing {@code written} bytes on that connection the server waits for input" ({@code W}) or "closed"
 * ({@code C}). Lines are checked strictly; a feed that breaks the protocol is dropped.
 *
 * <p>It connects on the first subscription and again after a loss (at most once a second); when it is
 * lost, every subscriber hears {@link Listener#lost} and its gate falls back to quiet windows. Bounded:
 * at most {@link #MAX_SUBSCRIPTIONS} at once (the server's own default bound).
 */
public final class MarkFeed implements AutoCloseable {
    public static final int MAX_SUBSCRIPTIONS = 4096;
    private static final System.Logger LOG = System.getLogger(MarkFeed.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final long RETRY_NS = 1_000_000_000L;
    private static final int MAX_LINE = 128;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final InetSocketAddress endpoint;
    private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
    private Socket socket;
    private OutputStream out;
    private long failedAt;
    private boolean everFailed;
    private boolean closed;

    /** One subscription's marks, called on the feed's reader thread. */
    public interface Listener {
        void mark(long conn, long seq, long read, long written, boolean closed);

        void lost(String why);
    }

    /** Ends a subscription. */
    @FunctionalInterface
    public interface Subscription {
        void cancel();
    }

    public MarkFeed(InetSocketAddress endpoint) {
        this.endpoint = endpoint;
    }

    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /**
     * Subscribes to the marks of the real connection whose local port is {@code port}. If the feed cannot
     * be reached the listener hears {@link Listener#lost} at once (on this thread).
     */
    public Subscription subscribe(int port, Listener listener) {
        String failure;
        synchronized (this) {
            failure = connect();
            if (failure == null && listeners.size() >= MAX_SUBSCRIPTIONS) {
                failure = "too many subscriptions (" + MAX_SUBSCRIPTIONS + ")";
            }
            if (failure == null) {
                listeners.put(port, listener); // before SUB: the answer may come at once
                failure = send("SUB " + port + "\n");
                if (failure != null) {
                    listeners.remove(port, listener);
                }
            }
        }
        if (failure != null) {
            listener.lost(failure);
            return () -> { };
        }
        return () -> unsubscribe(port, listener);
    }

    private synchronized void unsubscribe(int port, Listener listener) {
        if (listeners.remove(port, listener) && socket != null) {
            send("UNSUB " + port + "\n");
        }
    }

    /** Connects if not connected; returns why it cannot, or null. Holds the lock. */
    private String connect() {
        if (closed) {
            return "mark feed closed";
        }
        if (socket != null) {
            return null;
        }
        if (everFailed && System.nanoTime() - failedAt < RETRY_NS) {
            return "mark feed " + endpoint + " unreachable (retrying at most once a second)";
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(endpoint.getHostString(), endpoint.getPort()), CONNECT_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(s.getInputStream());
            s.setSoTimeout(CONNECT_TIMEOUT_MS);
            String hello = readLine(in);
            if (!"MARKS 1".equals(hello)) {
                throw new IOException("not a mark feed (it said '" + hello + "')");
            }
            s.setSoTimeout(0);
            socket = s;
            out = s.getOutputStream();
            Thread t = new Thread(() -> readLoop(s, in), "mark-feed-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.start();
            return null;
        } catch (IOException e) {
            everFailed = true;
            failedAt = System.nanoTime();
            closeQuietly(s);
            LOG.log(System.Logger.Level.WARNING, "mark feed {0}: {1}; its upstream falls back to quiet windows", endpoint, e.getMessage());
            return "mark feed " + endpoint + ": " + e.getMessage();
        }
    }

    private String send(String line) {
        try {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return null;
        } catch (IOException e) {
            closeQuietly(socket);
            return "mark feed " + endpoint + ": " + e.getMessage();
        }
    }

    private void readLoop(Socket s, InputStream in) {
        String why = "closed by the server";
        try {
            String line;
            while ((line = readLine(in)) != null) {
                if (line.startsWith("ERR ")) {
                    why = "the server said " + line;
                    continue;
                }
                dispatch(line);
            }
        } catch (IOException | IllegalArgumentException e) {
            why = e.getMessage();
        }
        lose(s, why);
    }

    private void dispatch(String line) {
        String[] f = line.split(" ", -1);
        if (f.length != 7 || !f[0].equals("M") || !(f[6].equals("W") || f[6].equals("C"))) {
            throw new IllegalArgumentException("bad mark line '" + line + "'");
        }
        int port = (int) number(f[1], line);
        long conn = number(f[2], line);
        long seq = number(f[3], line);
        long read = number(f[4], line);
        long written = number(f[5], line);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port in mark line '" + line + "'");
        }
        Listener l = listeners.get(port);
        if (l != null) {
            l.mark(conn, seq, read, written, f[6].equals("C"));
        }
    }

    private static long number(String s, String line) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("bad number '" + s + "' in mark line '" + line + "'");
    }

    /** Reads one line (without its newline), null at the end; a line longer than MAX_LINE is an error. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("mark feed line longer than " + MAX_LINE + " bytes");
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private void lose(Socket s, String why) {
        List<Listener> gone;
        synchronized (this) {
            if (socket != s) {
                return;
            }
            socket = null;
            out = null;
            closeQuietly(s);
            gone = new ArrayList<>(listeners.values());
            listeners.clear();
        }
        if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "mark feed {0} lost ({1}); {2} connections fall back to quiet windows",
                    endpoint, why, gone.size());
        }
        gone.forEach(l -> l.lost("mark feed lost: " + why));
    }

    @Override
    public void close() {
        Socket s;
        synchronized (this) {
            closed = true;
            s = socket;
        }
        if (s != null) {
            closeQuietly(s); // the reader ends and tells the subscribers
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a mark feed socket: {0}", e.getMessage());
        }
    }
}
