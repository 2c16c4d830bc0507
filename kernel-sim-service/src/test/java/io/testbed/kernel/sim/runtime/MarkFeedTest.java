package io.testbed.kernel.sim.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mark feed's client against a scripted feed server on loopback, and the allow-list's marks option. */
class MarkFeedTest {
    private final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    private MarkFeed feed;
    private Socket peer;
    private OutputStream toClient;
    private BufferedReader fromClient;

    MarkFeedTest() throws IOException {
    }

    @AfterEach
    void close() throws IOException {
        if (feed != null) {
            feed.close();
        }
        server.close();
    }

    private MarkFeed.Listener listener(String name) {
        return new MarkFeed.Listener() {
            @Override
            public void mark(long conn, long seq, long read, long written, boolean closed) {
                heard.add(name + " " + conn + "/" + seq + " " + read + " " + written + (closed ? " C" : " W"));
            }

            @Override
            public void lost(String why) {
                heard.add(name + " lost: " + why);
            }
        };
    }

    /** Subscribes on a thread (it connects and waits for the hello) while this side accepts and greets. */
    private void subscribe(int port, String name) throws Exception {
        Thread t = new Thread(() -> feed.subscribe(port, listener(name)));
        t.start();
        if (peer == null) {
            peer = server.accept();
            toClient = peer.getOutputStream();
            fromClient = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
            say("MARKS 1");
        }
        t.join(5000);
    }

    private void say(String line) throws IOException {
        toClient.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        toClient.flush();
    }

    @Test
    @DisplayName("subscribes by local port, hands each port's marks to its listener, unsubscribes on cancel")
    void subscribe_marksDispatchedByPort() throws Exception {
        feed = new MarkFeed(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        subscribe(40001, "a");
        subscribe(40002, "b");
        assertThat(fromClient.readLine()).isEqualTo("SUB 40001");
        assertThat(fromClient.readLine()).isEqualTo("SUB 40002");
        say("M 40002 7 1 0 0 W");
        say("M 40001 8 3 517 4242 W");
        say("M 40003 9 1 0 0 W"); // nobody's
        say("M 40001 8 4 600 4300 C");
        assertThat(List.of(next(), next(), next())).containsExactly("b 7/1 0 0 W", "a 8/3 517 4242 W", "a 8/4 600 4300 C");
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("a malformed line drops the feed: every subscriber hears it is lost")
    void badLine_feedLost() throws Exception {
        feed = new MarkFeed(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        subscribe(40001, "a");
        say("M 40001 8 3 -5 4242 W");
        assertThat(next()).startsWith("a lost: mark feed lost: bad number '-5'");
    }

    @Test
    @DisplayName("an unreachable feed: the subscriber hears it at once and retries are spaced")
    void unreachable_lostAtOnce() throws Exception {
        int port = server.getLocalPort();
        server.close();
        feed = new MarkFeed(new InetSocketAddress("127.0.0.1", port));
        feed.subscribe(40001, listener("a"));
        assertThat(next()).startsWith("a lost: mark feed /127.0.0.1:" + port + ": Connection refused");
        feed.subscribe(40002, listener("b"));
        assertThat(next()).contains("retrying at most once a second");
    }

    @Test
    @DisplayName("the allow-list takes ;marks=host:port, shares a feed between entries and names a bad option")
    void allowList_marksOption() {
        AllowList list = AllowList.parse(List.of("git.testbed:443=127.0.0.1:8443;marks=127.0.0.1:8444",
                "wrong.testbed:443=127.0.0.1:8443;marks=127.0.0.1:8444", "plain.testbed:80=127.0.0.1:8080"));
        assertThat(list.entry("GIT.testbed", 443).marks()).isNotNull().isSameAs(list.entry("wrong.testbed", 443).marks());
        assertThat(list.entry("git.testbed", 443).marks().endpoint().getPort()).isEqualTo(8444);
        assertThat(list.resolve("git.testbed", 443).getPort()).isEqualTo(8443);
        assertThat(list.entry("plain.testbed", 80).marks()).isNull();
        assertThatThrownBy(() -> AllowList.parse(List.of("a:1=b:2;sync=marks")))
                .hasMessageContaining("unknown option 'sync=marks'");
        assertThatThrownBy(() -> AllowList.parse(List.of("a:1=b:2;marks=nohost")))
                .hasMessageContaining("'nohost' must be host:port");
    }

    private String next() throws InterruptedException {
        String s = heard.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a callback within 5 s").isNotNull();
        return s;
    }
}
