package io.testbed.tls.client.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a server that can "stop the server" mid-response: {@link #resetNow()}
 * aborts every connection with a TCP reset on both sides (SO_LINGER 0), as when the server's process
 * dies or its host drops the connection, and refuses new ones until {@link #heal()}. With
 * {@link #holdAfter} a connection forwards only that many bytes from the server and then waits (a
 * server that stalls before it dies), so the reset finds the rest of the response still unsent:
 * kernel-sim reads an upstream ahead, and a pack the proxy had passed whole would already be there.
 */
public final class BreakableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long holdAfter = Long.MAX_VALUE;
    private volatile java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean down;
    private final AtomicLong resets = new AtomicLong();

    public BreakableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "breakable-proxy");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Each connection forwards at most {@code bytes} from the server, then waits for {@link #resetNow()}. */
    public void holdAfter(long bytes) {
        holdAfter = bytes;
    }

    /** Resets every open connection now, and refuses new ones until {@link #heal()}: the server died. */
    public void resetNow() {
        down = true;
        resets.incrementAndGet();
        sockets.forEach(BreakableProxy::abort);
        sockets.clear();
        released.countDown();
    }

    /** The server is back: connections pass again, nothing is reset. */
    public void heal() {
        holdAfter = Long.MAX_VALUE;
        released.countDown();
        released = new java.util.concurrent.CountDownLatch(1);
        down = false;
    }

    /** Connections reset so far. */
    public long resets() {
        return resets.get();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                if (down) {
                    abort(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    abort(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            long total = 0;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (fromServer && total + n > holdAfter) {
                        int part = (int) Math.max(0, holdAfter - total);
                        out.write(buf, 0, part);
                        out.flush();
                        released.await();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    total += n;
                }
                to.shutdownOutput();
                if (fromServer) {
                    to.close();
                    from.close();
                }
            } catch (IOException e) {
                abort(to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "breakable-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(BreakableProxy::abort);
    }
}
