package io.testbed.gateway.download;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.store.StoredJson;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Downloads in the database ({@code downloads}, see {@code db/migration}): each state is written
 * whole, as a JSON document, so the record can grow without a migration; the status and start time
 * are columns for the list and for the restart check ({@link #running()}).
 */
@Component
public class JdbcDownloadStore implements DownloadStore {

    private final DownloadRows rows;
    private final JdbcAggregateTemplate template;

    public JdbcDownloadStore(DownloadRows rows, JdbcAggregateTemplate template) {
        this.rows = rows;
        this.template = template;
    }

    @Override
    public synchronized void save(Download download) {
        DownloadRow row = new DownloadRow(download.id(), download.status().label(), download.startedAt(),
                StoredJson.write(download));
        if (rows.existsById(download.id())) {
            template.update(row);
        } else {
            template.insert(row);
        }
    }

    @Override
    public Optional<Download> find(String id) {
        return rows.findById(id).map(JdbcDownloadStore::download);
    }

    @Override
    public List<Download> recent(int limit) {
        return rows.recent(limit).stream().map(JdbcDownloadStore::download).toList();
    }

    @Override
    public List<Download> running() {
        return rows.findByStatus(Status.RUNNING.label()).stream().map(JdbcDownloadStore::download).toList();
    }

    private static Download download(DownloadRow row) {
        return StoredJson.read(row.document(), Download.class);
    }
}
