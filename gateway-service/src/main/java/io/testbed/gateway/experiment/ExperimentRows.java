package io.testbed.gateway.experiment;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;

interface ExperimentRows extends ListCrudRepository<ExperimentRow, String> {

    @Query("SELECT * FROM experiments ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<ExperimentRow> recent(int limit);

    List<ExperimentRow> findByStatus(String status);
}
