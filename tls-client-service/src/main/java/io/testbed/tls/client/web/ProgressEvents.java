package io.testbed.tls.client.web;

import io.testbed.tls.client.download.Download;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.DownloadsBusyException;
import io.testbed.tls.client.download.ProgressSnapshot;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Server-sent events of a download's progress ({@code GET /api/downloads/{id}/events}). The
 * download's thread only drops each report into the subscriber's bounded queue (never blocks: on the
 * virtual clock a blocked download thread would hold simulated time); a sender thread per
 * subscriber writes the events. Format (one event per 64 KiB of pack, then one {@code done}):
 * <pre>
 * id: 65536
 * event: progress
 * data: {"id":"d-...","bytes":65536,"simulatedNs":...,"instantBytesPerSecond":...,"averageBytesPerSecond":...,
 *        "instantKiBPerSecond":...,"averageKiBPerSecond":...,"text":"64 KiB in 0.250 s: ..."}
 *
 * event: done
 * data: {"id":"d-...","status":"succeeded","bytes":...,"simulatedNs":...,"error":null,"reason":null}
 * </pre>
 * A subscriber that arrives late first gets the latest progress (if any); one that arrives after the
 * end gets it and {@code done} at once. The stream then completes.
 */
@Component
public class ProgressEvents implements DisposableBean {
    static final int MAX_SUBSCRIBERS = 64;
    private static final int QUEUE = 1024;
    private static final long TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);

    private final Semaphore slots = new Semaphore(MAX_SUBSCRIBERS);
    private final ExecutorService senders;

    public ProgressEvents() {
        AtomicInteger n = new AtomicInteger();
        senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** @throws DownloadsBusyException when {@value #MAX_SUBSCRIBERS} streams are open */
    public SseEmitter subscribe(Download d) {
        if (!slots.tryAcquire()) {
            throw new DownloadsBusyException(MAX_SUBSCRIBERS + " event streams are open; retry later or poll /progress");
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        Consumer<ProgressSnapshot> listener = s -> offer(queue, s);
        d.progress().addListener(listener);
        ProgressSnapshot latest = d.progress().latest();
        if (latest.bytes() > 0) {
            offer(queue, latest);
        }
        d.onFinish(r -> offer(queue, r));
        senders.execute(() -> {
            try {
                while (true) {
                    Object e = queue.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (e == null) {
                        break;
                    }
                    if (e instanceof ProgressSnapshot s) {
                        emitter.send(SseEmitter.event().id(Long.toString(s.bytes())).name("progress").data(progress(d, s)));
                    } else if (e instanceof DownloadResult r) {
                        emitter.send(SseEmitter.event().name("done").data(done(d, r)));
                        break;
                    }
                }
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e); // the client went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } finally {
                d.progress().removeListener(listener);
                slots.release();
            }
        });
        return emitter;
    }

    /** Never blocks; on overflow the oldest progress report gives way (the final event always fits). */
    private static void offer(BlockingQueue<Object> queue, Object e) {
        while (!queue.offer(e)) {
            queue.poll();
        }
    }

    static Map<String, Object> progress(Download d, ProgressSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("bytes", s.bytes());
        m.put("simulatedNs", s.simulatedNs());
        m.put("instantBytesPerSecond", s.instantBytesPerSecond());
        m.put("averageBytesPerSecond", s.averageBytesPerSecond());
        m.put("instantKiBPerSecond", s.instantKiBPerSecond());
        m.put("averageKiBPerSecond", s.averageKiBPerSecond());
        m.put("text", s.text());
        return m;
    }

    static Map<String, Object> done(Download d, DownloadResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("status", r.status());
        m.put("bytes", r.bytes());
        m.put("simulatedNs", r.simulatedNs());
        m.put("error", r.error());
        m.put("reason", r.reason());
        return m;
    }

    @Override
    public void destroy() {
        senders.shutdownNow();
    }
}
