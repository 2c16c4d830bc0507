package io.testbed.gateway.reproduction;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;
import java.util.Optional;

interface ReproductionRows extends ListCrudRepository<ReproductionRow, String> {

    @Query("SELECT * FROM reproductions ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<ReproductionRow> recent(int limit);

    @Query("SELECT * FROM reproductions WHERE status = 'completed' ORDER BY created_at DESC, id DESC LIMIT 1")
    Optional<ReproductionRow> latestCompleted();

    Optional<ReproductionRow> findByExperimentId(String experimentId);

    List<ReproductionRow> findByStatus(String status);
}
