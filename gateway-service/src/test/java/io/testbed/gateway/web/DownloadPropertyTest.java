package io.testbed.gateway.web;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 12: random numbers in every numeric field of {@code POST /api/downloads} (see {@link RestPropertyBase}). */
class DownloadPropertyTest extends RestPropertyBase {

    @Test
    void downloads_everyNumericField_neverA5xx_answersInTime_storesOnlyWhatIsAccepted() throws Exception {
        Random random = new Random(SEED);
        String[] fields = {"seed", "sleepMs", "idleTimeoutReads", "override"};
        int accepted = run(random, "/api/downloads", "downloads", r -> {
            String[] v = {"1", "10", null, null};
            mutate(r, v, fields.length);
            return "{\"repo\":\"pack-4m\",\"seed\":" + v[0] + ",\"policy\":{\"type\":\"sleep\",\"sleepMs\":" + v[1]
                    + (v[2] != null ? ",\"idleTimeoutReads\":" + v[2] : "") + "}"
                    + (v[3] != null ? ",\"overrides\":{\"sched.network_thread_ratio\":\"" + v[3] + "\"}" : "") + "}";
        });
        assertThat(accepted).as("some tries are in range").isPositive();
        assertStillServes("/api/downloads", "{\"repo\":\"pack-4m\"}", "downloads");
    }
}
