package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.testbed.gateway.download.DownloadSpec;
import io.testbed.gateway.download.Policy;
import io.testbed.gateway.download.ScratchPolicies;
import io.testbed.gateway.kernel.KernelProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** The body of {@code POST /api/downloads}; everything but {@code repo} has a default. */
@Schema(description = "A download to run: which pack, which TLS client and would-block policy, on what machine")
public record DownloadRequest(
        @Schema(description = "Repository on the git server (GET /api/repos lists them)", example = "pack-4m",
                requiredMode = Schema.RequiredMode.REQUIRED)
        @NotBlank(message = "is required: a repository name such as pack-4m (GET /api/repos lists them)")
        @Size(max = 128, message = CHARS) @Pattern(regexp = NAME, message = NAME_MESSAGE)
        String repo,

        @Schema(description = "TLS client (tls-client's GET /api/capabilities lists them)", example = "bc", defaultValue = "bc")
        @Size(max = 64, message = CHARS) @Pattern(regexp = NAME, message = NAME_MESSAGE)
        String client,

        @Schema(description = "What the client does when a read would block; for client scratch the default is libakuma-tls's transport at the profile's commit, {\"type\":\"akuma-tls\",\"sleepMs\":1,\"writeSleepMs\":10} on the default profile", defaultValue = "{\"type\":\"sleep\",\"sleepMs\":10}")
        @Valid
        PolicyRequest policy,

        @Schema(description = "The machine's clock: virtual (simulated time, deterministic) or live (real time)",
                allowableValues = {"virtual", "live"}, defaultValue = "virtual")
        @Pattern(regexp = "virtual|live", message = "must be 'virtual' or 'live'")
        String clock,

        @Schema(description = "Kernel profile; empty for the kernel's default", example = "akuma-2026-01-31", defaultValue = "")
        @Size(max = 64, message = CHARS) @Pattern(regexp = "[A-Za-z0-9._-]*", message = "may hold only letters, digits, '.', '_' and '-'")
        String profile,

        @Schema(description = "Kernel settings over the profile, name -> value (see kernel-sim-service/README.md)",
                example = "{}")
        @Size(max = 64, message = "may hold at most 64 settings")
        Map<@NotBlank @Size(max = 64, message = CHARS) @Pattern(regexp = SETTING, message = "setting names may hold only letters, digits, '.', '_' and '-'") String,
                @NotNull @Size(max = 256, message = CHARS) String> overrides,

        @Schema(description = "Seed of the machine's single random source", example = "1", defaultValue = "1", minimum = "0")
        @PositiveOrZero
        Long seed) {

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";
    static final String NAME_MESSAGE = "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'";
    static final String SETTING = "[A-Za-z0-9._-]+";
    static final String CHARS = "must be at most {max} characters long";
    static final String VALUES = "must hold {min} to {max} values";
    /** Akuma's scratch client in tls-client, and its faithful would-block policy (libakuma-tls's transport). */
    public static final String SCRATCH = io.testbed.gateway.download.ScratchPolicies.CLIENT;
    /** Scratch stopping when the pack is downloaded (tmp.pack closed): the phase the seed and C4 time. */
    public static final String SCRATCH_PACK = io.testbed.gateway.download.ScratchPolicies.CLIENT_PACK_ONLY;
    static final String AKUMA_TLS = "akuma-tls";

    /** The would-block policy. */
    @Schema(description = "A would-block policy of tls-client")
    public record PolicyRequest(
            @Schema(description = "Policy type (tls-client's GET /api/capabilities lists them)", example = "sleep", defaultValue = "sleep")
            @Size(max = 64, message = CHARS) @Pattern(regexp = NAME, message = NAME_MESSAGE)
            String type,

            @Schema(description = "sleep: milliseconds slept per EAGAIN", example = "1", defaultValue = "10", minimum = "0", maximum = "10000")
            @Min(0) @Max(10_000)
            Integer sleepMs,

            @Schema(description = "Consecutive EAGAINs that end the download as idle; tls-client's default if absent", minimum = "1")
            @Min(1) @Max(10_000_000)
            Integer idleTimeoutReads) {
    }

    /** Whether {@code client} is Akuma's scratch, whole clone or pack only. */
    public static boolean isScratch(String client) {
        return SCRATCH.equals(client) || SCRATCH_PACK.equals(client);
    }

    /** This request with the defaults filled in. */
    DownloadSpec toSpec() {
        PolicyRequest p = policy != null ? policy : new PolicyRequest(null, null, null);
        String c = client != null ? client : "bc";
        // scratch's default is libakuma-tls's transport (read sleep 1 ms at 7b52ac2, no idle bound): Akuma as is
        String prof = profile != null ? profile : "";
        String type = p.type() != null ? p.type() : isScratch(c) ? AKUMA_TLS : "sleep";
        boolean akuma = AKUMA_TLS.equals(type);
        int sleepMs = p.sleepMs() != null ? p.sleepMs() : akuma ? ScratchPolicies.readSleepMs(prof) : 10;
        return new DownloadSpec(KernelProperties.DEFAULT_KERNEL, repo, c,
                new Policy(type, sleepMs, p.idleTimeoutReads(), akuma ? ScratchPolicies.writeSleepMs(prof) : null),
                clock != null ? clock : "virtual",
                profile != null ? profile : "",
                overrides != null ? overrides : Map.of(),
                seed != null ? seed : 1L);
    }
}
