package io.testbed.gateway.web;

import io.testbed.gateway.common.TooManyRunningException;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.download.DownloadService;
import jakarta.validation.constraints.Pattern;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A download's progress as server-sent events: the tls-client's stream for that download, relayed as
 * it comes (events {@code progress} every 64 KiB of pack with instantaneous and average speed in bytes
 * per simulated second, then {@code done}).
 *
 * <p>Issue 16, item 2: the response headers (and an SSE comment) go out at once, before tls-client has
 * answered; the upstream is read asynchronously, so no thread waits on it; an idle relay writes a
 * comment every {@code testbed.events.heartbeat}, so a client that went away is noticed then and the
 * upstream request is cancelled at once. Relays are bounded in all and per download (429 with
 * Retry-After beyond), and all end within a heartbeat when the gateway shuts down. A relay holds one
 * request thread (bounded by {@code testbed.events.max-relays}, far below Tomcat's 200).
 */
@RestController
@RequestMapping("/api/downloads")
public class DownloadEventsController implements ApplicationListener<ContextClosedEvent> {
    private static final Object END = new Object();

    private final DownloadService downloads;
    private final io.testbed.gateway.tlsclient.TlsClient tlsClient;
    private final EventRelayProperties properties;
    private final Semaphore total;
    private final Map<String, AtomicInteger> perDownload = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closing;

    public DownloadEventsController(DownloadService downloads, io.testbed.gateway.tlsclient.TlsClient tlsClient, EventRelayProperties properties) {
        this.downloads = downloads;
        this.tlsClient = tlsClient;
        this.properties = properties;
        this.total = new Semaphore(Math.max(1, properties.maxRelays()));
    }

    private static final String RELAY_ENDED = "event: error\ndata: the relay ended (gateway stopping or testbed.events.max-wall reached)\n\n";

    /** Relays open now (for tests and metrics). */
    public int openRelays() {
        return open.get();
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        // before the web server's graceful shutdown waits for requests: every relay ends at its next beat
        closing = true;
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public void events(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id,
                       jakarta.servlet.http.HttpServletResponse response) throws IOException {
        Download d = downloads.find(id).orElseThrow(() -> new DownloadNotFoundException(id));
        if (d.tlsClientId() == null) {
            throw new DownloadNotFoundException(id);
        }
        acquire(id);
        try {
            response.setStatus(200);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.flushBuffer();
            relay(d.tlsClientId(), response.getOutputStream());
        } catch (IOException clientGone) {
            // the client went away: the upstream request is cancelled in relay's finally
        } finally {
            release(id);
        }
    }

    private void acquire(String id) {
        if (!total.tryAcquire()) {
            throw new TooManyRunningException("event-stream relays", properties.maxRelays(), "testbed.events.max-relays", 5);
        }
        AtomicInteger mine = perDownload.computeIfAbsent(id, k -> new AtomicInteger());
        if (mine.incrementAndGet() > properties.maxPerDownload()) {
            mine.decrementAndGet();
            total.release();
            throw new TooManyRunningException("event-stream relays of download " + id, properties.maxPerDownload(),
                    "testbed.events.max-per-download", 5);
        }
        open.incrementAndGet();
    }

    private void release(String id) {
        perDownload.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        total.release();
        open.decrementAndGet();
    }

    private void relay(String tlsClientId, OutputStream out) throws IOException {
        write(out, ": relaying the events of tls-client-service\n\n");
        long deadline = System.nanoTime() + properties.maxWall().toNanos();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending = tlsClient.events(tlsClientId, properties.maxWall());
        Upstream upstream = new Upstream();
        try {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = awaitResponse(pending, out, deadline);
            if (response == null) {
                return;
            }
            if (response.statusCode() != 200) {
                response.body().subscribe(upstream);
                upstream.cancel();
                write(out, "event: error\ndata: tls-client-service answered " + response.statusCode() + "\n\n");
                return;
            }
            response.body().subscribe(upstream);
            pump(upstream, out, deadline);
        } finally {
            pending.cancel(true);
            upstream.cancel();
        }
    }

    /** Waits for tls-client's response headers, beating meanwhile; null when the relay should end. */
    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> awaitResponse(
            CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending, OutputStream out, long deadline) throws IOException {
        while (true) {
            if (closing || System.nanoTime() > deadline) {
                write(out, RELAY_ENDED);
                return null;
            }
            try {
                return pending.get(properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                write(out, ": waiting for the first event\n\n");
            } catch (ExecutionException e) {
                write(out, "event: error\ndata: tls-client-service unreachable: " + oneLine(e.getCause()) + "\n\n");
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void pump(Upstream upstream, OutputStream out, long deadline) throws IOException {
        while (!closing && System.nanoTime() < deadline) {
            Object item;
            try {
                item = upstream.items.poll(properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (item == null) {
                write(out, ": keep-alive\n\n");
            } else if (item == END) {
                return;
            } else if (item instanceof Throwable t) {
                write(out, "event: error\ndata: tls-client-service's stream failed: " + oneLine(t) + "\n\n");
                return;
            } else {
                for (ByteBuffer b : castBuffers((List<?>) item)) {
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.write(bytes);
                }
                out.flush();
                upstream.request();
            }
        }
        // stopping or out of time while tls-client's stream was flowing: say so, as before its first event
        write(out, RELAY_ENDED);
    }

    @SuppressWarnings("unchecked")
    private static List<ByteBuffer> castBuffers(List<?> l) {
        return (List<ByteBuffer>) l;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String oneLine(Throwable t) {
        String s = t == null ? "unknown" : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** The upstream body: chunks land in a queue, one at a time (back-pressure), until the end or an error. */
    private static final class Upstream implements Flow.Subscriber<List<ByteBuffer>> {
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        void request() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            items.add(t);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }
    }
}
