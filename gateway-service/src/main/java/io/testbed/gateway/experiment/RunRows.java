package io.testbed.gateway.experiment;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;

interface RunRows extends ListCrudRepository<RunRow, String> {

    @Query("SELECT * FROM runs WHERE experiment_id = :experimentId ORDER BY cell_index, repetition")
    List<RunRow> ofExperiment(String experimentId);

    List<RunRow> findByStatus(String status);
}
