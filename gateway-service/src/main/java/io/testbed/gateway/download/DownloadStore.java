package io.testbed.gateway.download;

import java.util.List;
import java.util.Optional;

/** Where download states live ({@link JdbcDownloadStore}: the gateway's database). */
public interface DownloadStore {

    /** Inserts or replaces the download with the same id. */
    void save(Download download);

    Optional<Download> find(String id);

    /** The most recently started downloads first, at most {@code limit}. */
    List<Download> recent(int limit);

    /** Downloads stored as running: after a restart, the ones the gateway stopped following. */
    List<Download> running();
}
