package io.testbed.gateway.web;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 12: random numbers in every numeric field of {@code POST /api/experiments} (see {@link RestPropertyBase}). */
class ExperimentPropertyTest extends RestPropertyBase {

    @Test
    void experiments_everyNumericField_andMatrixSizes_neverA5xx_answersInTime_storesOnlyWhatIsAccepted() throws Exception {
        Random random = new Random(SEED + 1);
        String[] policyFields = {"sleepMs", "idleTimeoutReads", "idleTimeoutMs", "minMs", "maxMs", "factor", "timeoutMs"};
        run(random, "/api/experiments", "experiments", r -> {
            String[] v = {"1", "1", "1", "0", "60", null, null, null, null, null, null, null};
            mutate(r, v, v.length);
            StringBuilder policy = new StringBuilder("{\"type\":\"" + (r.nextBoolean() ? "sleep" : "backoff") + "\"");
            for (int i = 0; i < policyFields.length; i++) {
                if (v[5 + i] != null) {
                    policy.append(",\"").append(policyFields[i]).append("\":").append(v[5 + i]);
                }
            }
            policy.append('}');
            int policies = r.nextInt(10) == 0 ? r.nextInt(40) : 1;
            int repos = r.nextInt(10) == 0 ? r.nextInt(20) : 1;
            return "{\"repos\":" + repeat("\"pack-4m\"", repos) + ",\"policies\":" + repeat(policy.toString(), policies)
                    + ",\"repetitions\":" + v[0] + ",\"downloads\":[" + v[1] + "],\"sessions\":[" + v[3] + "],\"seed\":" + v[2]
                    + ",\"maxSimulatedSeconds\":" + v[4] + "}";
        });
        awaitNoneRunning();
        assertStillServes("/api/experiments", "{\"repos\":[\"pack-4m\"]}", "experiments");
    }
}
