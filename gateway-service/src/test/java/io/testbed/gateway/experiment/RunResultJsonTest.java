package io.testbed.gateway.experiment;

import io.testbed.gateway.store.StoredJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18: a run's figures are grouped inside, but their JSON (REST API, {@code runs.result}) stays flat, field for field. */
class RunResultJsonTest {

    private static final List<String> FIELDS = List.of("simulatedSeconds", "meanDownloadSeconds", "bytes",
            "throughputBytesPerSecond", "perDownloadBytesPerSecond", "wouldBlocks", "sleeps", "sleepSeconds", "reads",
            "tlsRecords", "networkCpuShare", "idleCpuShare", "sessionCpuShare", "downloadCpuShares", "echoP50Ms", "echoP99Ms",
            "echoMaxMs", "networkSlotShare", "echoes", "completed", "machineSeconds", "wallSeconds", "counters", "downloads");

    @Test
    void theJson_isFlat_withTheSameFieldNamesInTheSameOrder_andReadsBackEqual() throws Exception {
        RunResult r = new RunResult(new RunResult.Timing(12.5, 12.0, 1000.0, 900.0, 13.0, 2.5),
                new RunResult.Io(4096, 7, 6, 0.06, 40, 30), new RunResult.Cpu(0.3, 0.1, 0.05, List.of(0.2, 0.25), 0.4),
                new RunResult.Echo(1.5, 4.0, 9.0, 20), 2, Map.of("echoes", 20L, "keystrokes", 21L),
                List.of(new RunResult.DownloadFigures("tc-1", "succeeded", 12.0, 4096, 7, 6, 0.06, 40, 30, true, null)));
        String json = StoredJson.write(r);
        JsonNode tree = StoredJson.mapper().readTree(json);
        List<String> names = new ArrayList<>(tree.propertyNames());
        assertThat(names).containsExactlyElementsOf(FIELDS);
        assertThat(tree.path("simulatedSeconds").asDouble()).isEqualTo(12.5);
        assertThat(tree.path("echoP99Ms").asDouble()).isEqualTo(4.0);
        assertThat(tree.path("tlsRecords").asLong()).isEqualTo(30);
        assertThat(tree.path("wallSeconds").asDouble()).isEqualTo(2.5);
        assertThat(StoredJson.read(json, RunResult.class)).isEqualTo(r);
    }
}
