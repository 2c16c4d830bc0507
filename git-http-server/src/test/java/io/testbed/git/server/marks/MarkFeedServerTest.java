package io.testbed.git.server.marks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The mark feed on its own: a board fed by hand, subscribers on loopback, the bounds and the checks. */
class MarkFeedServerTest {
    private final MarkBoard board = new MarkBoard();
    private MarkFeedServer server;

    private MarkFeedServer start(List<String> allowed, int maxSubscribers, int maxSubscriptions) {
        server = new MarkFeedServer(board, new MarksProperties(true, "127.0.0.1", 0, allowed, maxSubscribers, maxSubscriptions, 16));
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private record Client(Socket socket, BufferedReader in) implements AutoCloseable {
        void send(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        String next() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Client connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        return new Client(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)));
    }

    @Test
    @DisplayName("a subscriber sees the latest mark of its connection at once, then each new one, and only its own")
    void subscribe_latestThenLive() throws Exception {
        start(List.of("127.0.0.0/8"), 4, 8);
        ConnectionCounts mine = board.accepted(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001));
        ConnectionCounts other = board.accepted(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40001));
        mine.addRead(517);
        mine.addWritten(4242);
        board.publish(mine, Mark.Kind.WAIT);
        try (Client c = connect()) {
            assertThat(c.next()).isEqualTo("MARKS 1");
            c.send("SUB 40001");
            assertThat(c.next()).isEqualTo("M 40001 " + mine.id() + " 1 517 4242 W");
            board.publish(other, Mark.Kind.WAIT); // same port, another peer address: not this subscriber's
            mine.addRead(80);
            board.closed(mine);
            assertThat(c.next()).isEqualTo("M 40001 " + mine.id() + " 2 597 4242 C");
            assertThat(board.liveConnections()).isEqualTo(1);
            c.send("UNSUB 40001");
        }
    }

    @Test
    @DisplayName("bad input, too many subscriptions and too many subscribers are refused with ERR")
    void bounds_andValidation() throws Exception {
        start(List.of("127.0.0.0/8"), 1, 2);
        try (Client c = connect()) {
            assertThat(c.next()).isEqualTo("MARKS 1");
            c.send("SUB 1");
            c.send("SUB 2");
            c.send("SUB 3");
            assertThat(c.next()).isEqualTo("ERR too many subscriptions (2)");
            assertThat(c.next()).as("then closed").isNull();
        }
        awaitSubscribers(0);
        try (Client c = connect(); Client second = connect()) {
            assertThat(c.next()).isEqualTo("MARKS 1");
            assertThat(second.next()).isEqualTo("ERR too many subscribers (1)");
            c.send("SUB 70000");
            assertThat(c.next()).isEqualTo("ERR bad port '70000'");
        }
        awaitSubscribers(0);
        try (Client c = connect()) {
            assertThat(c.next()).isEqualTo("MARKS 1");
            c.send("GET / HTTP/1.1 and a good deal more than thirty-two bytes");
            assertThat(c.next()).isEqualTo("ERR line longer than 32 bytes");
        }
    }

    @Test
    @DisplayName("a peer outside allowed-peers is refused at accept; bad CIDR entries fail the start")
    void peerNotAllowed_refused() throws Exception {
        start(List.of("10.0.0.0/8"), 4, 8);
        try (Client c = connect()) {
            assertThat(c.next()).isEqualTo("ERR peer not allowed");
        }
        assertThat(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(Cidr.parse("::1/128").contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThatThrownBy(() -> new MarksProperties(true, "127.0.0.1", 0, List.of("localhost/8"), 1, 1, 16))
                .hasMessageContaining("'localhost/8' must be an address or CIDR block");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("bad prefix length");
    }

    private void awaitSubscribers(int n) throws InterruptedException {
        for (int i = 0; i < 100 && server.subscribers() != n; i++) {
            Thread.sleep(20);
        }
        assertThat(server.subscribers()).isEqualTo(n);
    }
}
