package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.testbed.gateway.experiment.Cell;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.MachineConfig;
import io.testbed.gateway.experiment.PolicySpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/experiments}: a matrix. Every combination of one value from each list
 * is a cell, run {@code repetitions} times; all but {@code repos} have a default.
 */
@Schema(description = "An experiment matrix: repos x clients x policies x machines x downloads x sessions, each cell run `repetitions` times")
public record ExperimentRequest(
        @Schema(description = "A label", example = "sleep 10 vs 1 ms") @Size(max = 200, message = DownloadRequest.CHARS) String name,

        @Schema(description = "Repositories (GET /api/repos)", example = "[\"pack-256k\"]", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotEmpty(message = "is required: at least one repository such as pack-256k")
        @Size(max = 16, message = "must hold at most {max} values") List<@NotBlank @Pattern(regexp = DownloadRequest.NAME, message = DownloadRequest.NAME_MESSAGE) String> repos,

        @Schema(description = "TLS clients (tls-client's GET /api/capabilities)", example = "[\"bc\"]", defaultValue = "[\"bc\"]")
        @Size(min = 1, max = 16, message = DownloadRequest.VALUES) List<@NotBlank @Pattern(regexp = DownloadRequest.NAME, message = DownloadRequest.NAME_MESSAGE) String> clients,

        @Schema(description = "Would-block policies", defaultValue = "[{\"type\":\"sleep\",\"sleepMs\":10}]")
        @Size(min = 1, max = 32, message = DownloadRequest.VALUES) List<@NotNull @Valid PolicyItem> policies,

        @Schema(description = "Machines: a kernel profile and settings over it", defaultValue = "[{\"profile\":\"\"}]")
        @Size(min = 1, max = 32, message = DownloadRequest.VALUES) List<@NotNull @Valid MachineItem> machines,

        @Schema(description = "Concurrent downloads per machine (each its own simulated thread)", example = "[1]", defaultValue = "[1]")
        @Size(min = 1, max = 8, message = DownloadRequest.VALUES) List<@NotNull @Min(1) @Max(24) Integer> downloads,

        @Schema(description = "Interactive sessions per machine (sessions.count)", example = "[0]", defaultValue = "[0]")
        @Size(min = 1, max = 5, message = DownloadRequest.VALUES) List<@NotNull @Min(0) @Max(4) Integer> sessions,

        @Schema(description = "Runs per cell", example = "2", defaultValue = "1") @Min(1) @Max(100) Integer repetitions,

        @Schema(description = "Seed; every run's machine seed derives from it, the cell and the repetition", example = "1", defaultValue = "1")
        @PositiveOrZero Long seed,

        @Schema(description = "tls-client's userspace CPU accounting: zero or modelled (its GET /api/capabilities `cpu`); tls-client's default if absent")
        @Pattern(regexp = "[a-z-]{1,32}", message = "must be a mode name such as modelled") String cpu,

        @Schema(description = "A run still going at this simulated time is stopped and counted as not finished", defaultValue = "testbed.experiments.max-simulated-seconds")
        @DecimalMin("0.1") @DecimalMax("100000") Double maxSimulatedSeconds) {

    /** A would-block policy: {@code type} and its parameters (tls-client documents them). */
    public record PolicyItem(
            @Schema(example = "sleep") @NotBlank(message = "is required, e.g. sleep")
            @Pattern(regexp = DownloadRequest.NAME, message = DownloadRequest.NAME_MESSAGE) String type,
            @Schema(description = "sleep: ms per EAGAIN") @Min(0) @Max(10_000) Integer sleepMs,
            @Schema(description = "consecutive EAGAINs before the download fails as idle") @Min(1) @Max(10_000_000) Integer idleTimeoutReads,
            @Schema(description = "simulated ms without data before the download fails as idle") @Min(1) @Max(3_600_000) Integer idleTimeoutMs,
            @Schema(description = "backoff: first sleep, ms") @Min(0) @Max(10_000) Integer minMs,
            @Schema(description = "backoff: longest sleep, ms") @Min(0) @Max(10_000) Integer maxMs,
            @Schema(description = "backoff: growth per empty read") @DecimalMin("1.0") @DecimalMax("16.0") Double factor,
            @Schema(description = "poll: the poll syscall's timeout, ms") @Min(0) @Max(60_000) Integer timeoutMs) {

        PolicySpec toSpec() {
            return new PolicySpec(type, sleepMs, idleTimeoutReads, idleTimeoutMs, minMs, maxMs, factor, timeoutMs);
        }
    }

    /** A machine: profile and overrides, and an optional label. */
    public record MachineItem(
            @Schema(example = "ratio 2") @Size(max = 64, message = DownloadRequest.CHARS) String label,
            @Schema(example = "akuma-2026-01-31") @Size(max = 64, message = DownloadRequest.CHARS)
            @Pattern(regexp = "[A-Za-z0-9._-]*", message = "may hold only letters, digits, '.', '_' and '-'") String profile,
            @Schema(example = "{\"sched.network_thread_ratio\":\"2\"}")
            @Size(max = 64, message = "may hold at most 64 settings")
            Map<@NotBlank @Size(max = 64, message = DownloadRequest.CHARS) @Pattern(regexp = DownloadRequest.SETTING, message = "setting names may hold only letters, digits, '.', '_' and '-'") String,
                    @NotNull @Size(max = 256, message = DownloadRequest.CHARS) String> overrides) {
    }

    /** Cells x repetitions, computed without expanding the matrix (the lists' sizes are bounded, so no overflow). */
    long runs() {
        return (long) size(repos) * size(clients) * size(policies) * size(machines) * size(downloads) * size(sessions)
                * (repetitions != null ? repetitions : 1);
    }

    private static int size(List<?> values) {
        return values != null ? values.size() : 1;
    }

    /** The matrix expanded into cells, in the order repos, clients, policies, machines, downloads, sessions. */
    ExperimentPlan toPlan(double defaultMaxSimulatedSeconds) {
        List<String> cl = clients != null ? clients : List.of("bc");
        List<PolicySpec> given = policies != null ? policies.stream().map(PolicyItem::toSpec).toList() : null;
        List<MachineConfig> ms = machines != null
                ? machines.stream().map(m -> new MachineConfig(m.label(), m.profile(), m.overrides())).toList()
                : List.of(new MachineConfig(null, "", Map.of()));
        List<Integer> ds = downloads != null ? downloads : List.of(1);
        List<Integer> ss = sessions != null ? sessions : List.of(0);
        List<Cell> cells = new ArrayList<>();
        for (String repo : repos) {
            for (String client : cl) {
                // no policies given (null here): each client's default; scratch's is libakuma-tls's transport
                // at the machine profile's commit
                for (PolicySpec given1 : given != null ? given : java.util.Collections.<PolicySpec>singletonList(null)) {
                    for (MachineConfig m : ms) {
                        PolicySpec p = given1 != null ? given1 : DownloadRequest.isScratch(client)
                                ? PolicySpec.scratch(m.profile()) : PolicySpec.sleep(10);
                        for (int d : ds) {
                            for (int s : ss) {
                                String label = repo + " " + client + " " + p.label() + " | " + m.label() + " | " + d
                                        + (d == 1 ? " download" : " downloads") + " / " + s + (s == 1 ? " session" : " sessions");
                                cells.add(new Cell(cells.size(), label, "matrix", repo, client, p, m, d, s));
                            }
                        }
                    }
                }
            }
        }
        return new ExperimentPlan(name != null && !name.isBlank() ? name : "matrix of " + cells.size() + " cells", "matrix",
                seed != null ? seed : 1L, repetitions != null ? repetitions : 1, cpu,
                maxSimulatedSeconds != null ? maxSimulatedSeconds : defaultMaxSimulatedSeconds, cells);
    }
}
