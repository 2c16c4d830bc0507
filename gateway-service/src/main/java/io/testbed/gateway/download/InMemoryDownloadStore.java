package io.testbed.gateway.download;

import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded, insertion-ordered map: when full, the oldest download is forgotten (a running one too;
 * its poller keeps going and saves it back when it ends).
 */
@Component
public class InMemoryDownloadStore implements DownloadStore {

    private final Map<String, Download> downloads;

    public InMemoryDownloadStore(DownloadProperties properties) {
        int capacity = properties.capacity();
        this.downloads = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Download> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized void save(Download download) {
        downloads.put(download.id(), download);
    }

    @Override
    public synchronized Optional<Download> find(String id) {
        return Optional.ofNullable(downloads.get(id));
    }

    @Override
    public synchronized List<Download> recent(int limit) {
        List<Download> all = new ArrayList<>(downloads.values());
        Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
