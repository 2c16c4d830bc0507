package io.testbed.gateway.download;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;

interface DownloadRows extends ListCrudRepository<DownloadRow, String> {

    @Query("SELECT * FROM downloads ORDER BY started_at DESC, id DESC LIMIT :limit")
    List<DownloadRow> recent(int limit);

    List<DownloadRow> findByStatus(String status);
}
