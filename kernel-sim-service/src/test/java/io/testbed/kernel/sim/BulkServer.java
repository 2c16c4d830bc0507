package io.testbed.kernel.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A real TCP server for tests: reads one line {@code "<n>\n"} and answers with n deterministic bytes,
 * then closes. Bytes are {@code (i * 31 + 7) & 0xff}.
 */
public final class BulkServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    public BulkServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "bulk-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public static byte expected(long i) {
        return (byte) ((i * 31 + 7) & 0xff);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> answer(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            long n = Long.parseLong(line.toString().trim());
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            long i = 0;
            while (i < n) {
                int len = (int) Math.min(buf.length, n - i);
                for (int k = 0; k < len; k++) {
                    buf[k] = expected(i + k);
                }
                out.write(buf, 0, len);
                i += len;
            }
            out.flush();
        } catch (IOException | NumberFormatException e) {
            // test server: the client sees the reset
        }
    }

    public static byte[] request(long n) {
        return (n + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
