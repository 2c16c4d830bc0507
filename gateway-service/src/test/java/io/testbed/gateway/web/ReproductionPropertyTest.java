package io.testbed.gateway.web;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 12: random numbers in every numeric field of {@code POST /api/reproductions} (see {@link RestPropertyBase}). */
class ReproductionPropertyTest extends RestPropertyBase {

    @Test
    void reproductions_everyNumericField_neverA5xx_answersInTime_storesOnlyWhatIsAccepted() throws Exception {
        Random random = new Random(SEED + 2);
        run(random, "/api/reproductions", "reproductions", r -> {
            String[] v = {"1", "1", "60"};
            mutate(r, v, v.length);
            return "{\"repo\":\"pack-4m\",\"repetitions\":" + v[0] + ",\"seed\":" + v[1] + ",\"maxSimulatedSeconds\":" + v[2] + "}";
        });
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/api/reproductions").statusCode()).isEqualTo(200);
    }
}
