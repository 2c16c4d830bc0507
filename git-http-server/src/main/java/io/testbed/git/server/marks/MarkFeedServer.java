package io.testbed.git.server.marks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.SmartLifecycle;

/**
 * The mark feed: a plain TCP service (text lines) where a kernel-sim subscribes to the marks of its own
 * connections to the HTTPS connector. On connect the server says {@code MARKS 1}; the subscriber sends
 * {@code SUB <port>} for each local port of a real socket it opened to the connector and
 * {@code UNSUB <port>} when done; the server streams {@link Mark#line()}s for those connections, starting
 * with the latest mark of one already open. Only connections from the subscriber's own address are
 * visible to it.
 *
 * <p>Bounded and checked: peers outside {@link MarksProperties#allowedPeers()} are closed at accept,
 * at most {@code max-subscribers} at once, {@code max-subscriptions} per subscriber, input lines of at
 * most 32 bytes; anything else is answered with {@code ERR <reason>} and the connection closed. A
 * subscriber that does not read (more than {@code queue-marks} marks waiting) is dropped.
 */
public final class MarkFeedServer implements SmartLifecycle {
    private static final System.Logger LOG = System.getLogger(MarkFeedServer.class.getName());
    static final String HELLO = "MARKS 1\n";
    private static final int MAX_LINE = 32;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final MarkBoard board;
    private final MarksProperties properties;
    private final List<Cidr> allowed;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean running;

    public MarkFeedServer(MarkBoard board, MarksProperties properties) {
        this.board = board;
        this.properties = properties;
        this.allowed = properties.allowedPeers().stream().map(Cidr::parse).toList();
    }

    /** The bound port (after start), e.g. when configured as 0. */
    public int port() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("the mark feed is not running");
        }
        return s.getLocalPort();
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void start() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(properties.address()), properties.port()), 16);
            server = s;
        } catch (IOException e) {
            throw new IllegalStateException("the mark feed cannot listen on " + properties.address() + ":" + properties.port()
                    + " (testbed.git.marks.address/port): " + e.getMessage(), e);
        }
        running = true;
        thread("marks-accept", this::acceptLoop);
        LOG.log(System.Logger.Level.INFO, "mark feed on {0}:{1}", properties.address(), String.valueOf(port()));
    }

    @Override
    public void stop() {
        running = false;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the mark feed: {0}", e.getMessage());
            }
        }
        subscribers.forEach(Subscriber::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void acceptLoop() {
        while (running) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "mark feed accept failed: {0}", e.getMessage());
                }
                continue;
            }
            InetAddress peer = socket.getInetAddress();
            if (allowed.stream().noneMatch(c -> c.contains(peer))) {
                LOG.log(System.Logger.Level.WARNING, "mark feed: refused {0} (not in testbed.git.marks.allowed-peers)", peer);
                refuse(socket, "peer not allowed");
                continue;
            }
            if (subscribers.size() >= properties.maxSubscribers()) {
                refuse(socket, "too many subscribers (" + properties.maxSubscribers() + ")");
                continue;
            }
            Subscriber sub = new Subscriber(socket);
            subscribers.add(sub);
            sub.start();
        }
    }

    private static void refuse(Socket socket, String why) {
        try (socket) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(("ERR " + why + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the peer is refused either way
        }
    }

    private static void thread(String name, Runnable body) {
        Thread t = new Thread(body, name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** One subscriber: a reader for its SUB/UNSUB lines, a writer for its marks. */
    private final class Subscriber implements MarkBoard.Sink {
        private final Socket socket;
        private final InetAddress peer;
        private final Set<Integer> ports = new HashSet<>();
        private final BlockingQueue<String> out = new ArrayBlockingQueue<>(properties.queueMarks());
        private volatile boolean closed;

        Subscriber(Socket socket) {
            this.socket = socket;
            this.peer = socket.getInetAddress();
        }

        void start() {
            out.add(HELLO);
            thread("marks-read", this::readLoop);
            thread("marks-write", this::writeLoop);
        }

        @Override
        public boolean send(Mark mark) {
            if (closed) {
                return false;
            }
            if (!out.offer(mark.line())) {
                LOG.log(System.Logger.Level.WARNING, "mark feed: subscriber {0} fell {1} marks behind; dropped",
                        peer, String.valueOf(properties.queueMarks()));
                close();
                return false;
            }
            return true;
        }

        private void readLoop() {
            try {
                InputStream in = socket.getInputStream();
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        String error = command(line.toString());
                        if (error != null) {
                            fail(error); // the writer sends it, then closes
                            return;
                        }
                        line.setLength(0);
                    } else if (line.length() >= MAX_LINE) {
                        fail("line longer than " + MAX_LINE + " bytes");
                        return;
                    } else {
                        line.append((char) b);
                    }
                }
                close(); // the subscriber hung up
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "mark feed subscriber {0}: {1}", peer, e.getMessage());
                close();
            }
        }

        /** Handles one line; returns an error to send before closing, or null. */
        private String command(String line) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2 || !(parts[0].equals("SUB") || parts[0].equals("UNSUB"))) {
                return "expected 'SUB <port>' or 'UNSUB <port>'";
            }
            int port;
            try {
                port = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                return "bad port '" + parts[1] + "'";
            }
            synchronized (ports) {
                if (parts[0].equals("UNSUB")) {
                    if (ports.remove(port)) {
                        board.unsubscribe(peer, port, this);
                    }
                    return null;
                }
                if (!ports.contains(port) && ports.size() >= properties.maxSubscriptions()) {
                    return "too many subscriptions (" + properties.maxSubscriptions() + ")";
                }
                ports.add(port);
            }
            board.subscribe(peer, port, this);
            return null;
        }

        private void fail(String why) {
            out.clear();
            out.offer("ERR " + why + "\n");
            out.offer(""); // the writer closes after it
        }

        private void writeLoop() {
            try {
                OutputStream o = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
                while (!closed) {
                    String line = out.take();
                    if (line.isEmpty()) {
                        o.flush();
                        break;
                    }
                    o.write(line.getBytes(StandardCharsets.US_ASCII));
                    if (out.isEmpty()) {
                        o.flush();
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "mark feed subscriber {0}: {1}", peer, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (ports) {
                ports.forEach(p -> board.unsubscribe(peer, p, this));
                ports.clear();
            }
            subscribers.remove(this);
            out.offer("");
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing mark feed subscriber {0}: {1}", peer, e.getMessage());
            }
        }
    }
}
