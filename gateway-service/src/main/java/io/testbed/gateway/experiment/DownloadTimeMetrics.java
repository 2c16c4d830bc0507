package io.testbed.gateway.experiment;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadEndListener;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the downloads' simulated time went, for Grafana: {@code gateway.download.time}, a distribution
 * summary in simulated seconds with one sample per finished download and {@link TimeSplit.Part} (tag
 * {@code component}), tagged {@code source} = {@code download} (one download through the API) or
 * {@code experiment} (a download of an experiment or reproduction run). Summed over finished downloads
 * rather than a gauge of the latest: Prometheus sees every download however short, a panel can divide
 * {@code _sum} by {@code _count} for the mean per download, and {@code increase} over a window gives the
 * downloads that ended in it. Registered at start, at zero, for every component and source.
 */
@Component
public class DownloadTimeMetrics implements MeterBinder, DownloadEndListener {
    public static final String DOWNLOAD = "download";
    public static final String EXPERIMENT = "experiment";
    static final List<String> SOURCES = List.of(DOWNLOAD, EXPERIMENT);

    private final Map<String, Map<TimeSplit.Part, DistributionSummary>> summaries = new HashMap<>();

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        for (String source : SOURCES) {
            Map<TimeSplit.Part, DistributionSummary> bySource = new EnumMap<>(TimeSplit.Part.class);
            for (TimeSplit.Part p : TimeSplit.Part.values()) {
                bySource.put(p, DistributionSummary.builder("gateway.download.time")
                        .description("Where a finished download's simulated time went (kernel-sim's per-thread accounting), by component")
                        .baseUnit("seconds")
                        .tag("component", p.component())
                        .tag("source", source)
                        .register(registry));
            }
            summaries.put(source, bySource);
        }
    }

    /** One finished download's split; {@code source} is {@link #DOWNLOAD} or {@link #EXPERIMENT}. */
    public synchronized void record(String source, TimeSplit split) {
        Map<TimeSplit.Part, DistributionSummary> bySource = summaries.get(source);
        if (bySource == null) {
            if (!SOURCES.contains(source)) {
                throw new IllegalArgumentException("unknown source '" + source + "'; known: " + SOURCES);
            }
            return; // not bound to a registry (yet)
        }
        for (TimeSplit.Part p : TimeSplit.Part.values()) {
            // a part can come out a hair below zero from floating point (client CPU other = all - TLS - pack)
            bySource.get(p).record(Math.max(0, p.of(split)));
        }
    }

    /** A download through the API ended: its thread's split, if the machine's stats name its thread. */
    @Override
    public void ended(Download d) {
        TimeSplit split = d.kernel() == null || d.tlsClientId() == null ? null : TimeSplit.ofDownload(d.tlsClientId(), d.kernel());
        if (split != null) {
            record(DOWNLOAD, split);
        }
    }
}
