package io.testbed.gateway.download;

import io.testbed.gateway.common.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's download metrics. Tags are bounded (the outcome only); per-download figures belong
 * in the download's result, not in tags.
 * <ul>
 *   <li>{@code gateway.downloads} (counter, tag {@code outcome}=succeeded|failed): downloads ended</li>
 *   <li>{@code gateway.downloads.active} (gauge): downloads being followed now</li>
 *   <li>{@code gateway.download.wall} (timer, tag {@code outcome}): real time from accept to end</li>
 * </ul>
 */
@Component
public class GatewayMetrics implements MeterBinder {

    private final AtomicInteger active = new AtomicInteger();
    private final Map<Status, Counter> ended = new EnumMap<>(Status.class);
    private final Map<Status, Timer> wall = new EnumMap<>(Status.class);

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Gauge.builder("gateway.downloads.active", active, AtomicInteger::get)
                .description("Downloads the gateway is following now")
                .register(registry);
        for (Status outcome : new Status[] {Status.SUCCEEDED, Status.FAILED}) {
            ended.put(outcome, Counter.builder("gateway.downloads")
                    .description("Downloads that ended, by outcome")
                    .baseUnit("downloads")
                    .tag("outcome", outcome.label())
                    .register(registry));
            wall.put(outcome, Timer.builder("gateway.download.wall")
                    .description("Real time from accepting a download to seeing it end")
                    .tag("outcome", outcome.label())
                    .register(registry));
        }
    }

    void started() {
        active.incrementAndGet();
    }

    synchronized void ended(Status outcome, Duration took) {
        active.decrementAndGet();
        Counter counter = ended.get(outcome);
        if (counter != null) {
            counter.increment();
            wall.get(outcome).record(took);
        }
    }
}
