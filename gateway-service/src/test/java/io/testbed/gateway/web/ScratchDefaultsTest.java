package io.testbed.gateway.web;

import io.testbed.gateway.download.DownloadSpec;
import io.testbed.gateway.experiment.Cell;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Client scratch without a policy gets libakuma-tls's transport (Akuma as is); the other clients keep sleep 10 ms. */
@DisplayName("Client scratch's defaults in the gateway")
class ScratchDefaultsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    @DisplayName("a plain download of scratch asks tls-client for akuma-tls with a 1 ms read sleep; bc keeps sleep 10 ms")
    void download_scratchPlain_akumaTls() {
        DownloadSpec scratch = JSON.readValue("{\"repo\":\"pack-256k\",\"client\":\"scratch\"}", DownloadRequest.class).toSpec();
        DownloadSpec bc = JSON.readValue("{\"repo\":\"pack-256k\"}", DownloadRequest.class).toSpec();
        DownloadSpec given = JSON.readValue("{\"repo\":\"pack-256k\",\"client\":\"scratch\",\"policy\":{\"type\":\"sleep\"}}",
                DownloadRequest.class).toSpec();

        assertThat(scratch.policy().asMap()).isEqualTo(java.util.Map.of("type", "akuma-tls", "sleepMs", 1, "writeSleepMs", 10));
        // libakuma-tls at the profile's commit (transport.rs:112, 127): 10/10 ms at 9528e2a7, 1/1 ms from 8316ebea
        assertThat(JSON.readValue("{\"repo\":\"pack-256k\",\"client\":\"scratch\",\"profile\":\"akuma-9528e2a\"}",
                DownloadRequest.class).toSpec().policy().asMap()).containsEntry("sleepMs", 10).containsEntry("writeSleepMs", 10);
        assertThat(JSON.readValue("{\"repo\":\"pack-256k\",\"client\":\"scratch\",\"profile\":\"akuma-2026-02-09\"}",
                DownloadRequest.class).toSpec().policy().asMap()).containsEntry("sleepMs", 1).containsEntry("writeSleepMs", 1);
        assertThat(bc.policy().asMap()).containsEntry("type", "sleep").containsEntry("sleepMs", 10);
        assertThat(given.policy().asMap()).containsEntry("type", "sleep").containsEntry("sleepMs", 10);
    }

    @Test
    @DisplayName("an experiment without policies gives each client its default: scratch akuma-tls, bc sleep 10 ms")
    void experiment_noPolicies_perClientDefault() {
        List<Cell> cells = JSON.readValue("{\"repos\":[\"pack-256k\"],\"clients\":[\"bc\",\"scratch\"]}", ExperimentRequest.class)
                .toPlan(600).cells();

        assertThat(cells).hasSize(2);
        assertThat(cells.get(0).policy().asMap()).isEqualTo(java.util.Map.of("type", "sleep", "sleepMs", 10));
        assertThat(cells.get(1).client()).isEqualTo("scratch");
        assertThat(cells.get(1).policy().asMap()).isEqualTo(java.util.Map.of("type", "akuma-tls", "sleepMs", 1, "writeSleepMs", 10));
        List<Cell> perProfile = JSON.readValue("{\"repos\":[\"pack-256k\"],\"clients\":[\"scratch\"],\"machines\":["
                + "{\"profile\":\"akuma-7b52ac2\"},{\"profile\":\"akuma-9528e2a\"},{\"profile\":\"akuma-8316ebe\"}]}",
                ExperimentRequest.class).toPlan(600).cells();
        assertThat(perProfile).extracting(c -> c.policy().label())
                .containsExactly("akuma-tls 1 ms write 10 ms", "akuma-tls 10 ms write 10 ms", "akuma-tls 1 ms write 1 ms");
    }
}
