package io.testbed.gateway.reproduction;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The body of {@code POST /api/reproductions}; every field has a default.
 *
 * @param repo                the pack every download fetches (the seed's claims are about a 4 MB pack)
 * @param client              the TLS client
 * @param repetitions         runs per configuration
 * @param seed                the experiment seed
 * @param cpu                 tls-client's userspace CPU mode, null for its default
 * @param maxSimulatedSeconds the bound on one run's simulated time, null for 40 s per MiB of pack (at least 30 s)
 * @param loadRepo            the pack of the claims about CPU shares, load and stalls (3-8), which do not need 4 MiB
 * @param sensitivity         the sensitivity set: reduced (the default), full, or none
 */
@Schema(description = "A reproduction of the seed's claims")
public record ReproductionRequest(
        @Schema(example = "pack-4m", defaultValue = "pack-4m") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", message = "must be a repository name such as pack-4m: up to 128 letters, digits, '.', '_' and '-', starting with a letter or digit") String repo,
        @Schema(example = "bc", defaultValue = "bc") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be a client name such as bc: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit") String client,
        @Schema(example = "3", defaultValue = "3") @Min(1) @Max(20) Integer repetitions,
        @Schema(example = "1", defaultValue = "1") @PositiveOrZero Long seed,
        @Schema(example = "modelled") @Pattern(regexp = "[a-z-]{1,32}", message = "must be a mode name such as modelled") String cpu,
        @DecimalMin("1") @DecimalMax("100000") Double maxSimulatedSeconds,
        @Schema(example = "pack-256k", defaultValue = "pack-256k") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", message = "must be a repository name such as pack-256k: up to 128 letters, digits, '.', '_' and '-', starting with a letter or digit") String loadRepo,
        @Schema(example = "reduced", defaultValue = "reduced", allowableValues = {"reduced", "full", "none"}) @Pattern(regexp = "reduced|full|none", message = "must be reduced, full or none") String sensitivity) {

    public ReproductionRequest(String repo, String client, Integer repetitions, Long seed, String cpu, Double maxSimulatedSeconds) {
        this(repo, client, repetitions, seed, cpu, maxSimulatedSeconds, null, null);
    }

    /**
     * This request with the defaults: the seed's 4 MiB pack, Akuma's scratch client (the service adds the calibrated
     * userspace CPU model when tls-client offers it), 3 repetitions, the 256 KiB pack for the claims under load, the reduced sensitivity set.
     */
    public ReproductionRequest withDefaults() {
        return new ReproductionRequest(repo != null ? repo : "pack-4m", client != null ? client : "scratch",
                repetitions != null ? repetitions : 3, seed != null ? seed : 1L, cpu, maxSimulatedSeconds,
                loadRepo != null ? loadRepo : "pack-256k", sensitivity != null ? sensitivity : Sensitivity.REDUCED);
    }
}
