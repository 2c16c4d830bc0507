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
 */
@Schema(description = "A reproduction of the seed's claims")
public record ReproductionRequest(
        @Schema(example = "pack-4m", defaultValue = "pack-4m") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", message = "must be a repository name such as pack-4m: up to 128 letters, digits, '.', '_' and '-', starting with a letter or digit") String repo,
        @Schema(example = "bc", defaultValue = "bc") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be a client name such as bc: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit") String client,
        @Schema(example = "3", defaultValue = "3") @Min(1) @Max(20) Integer repetitions,
        @Schema(example = "1", defaultValue = "1") @PositiveOrZero Long seed,
        @Schema(example = "modelled") @Pattern(regexp = "[a-z-]{1,32}", message = "must be a mode name such as modelled") String cpu,
        @DecimalMin("1") @DecimalMax("100000") Double maxSimulatedSeconds) {

    public ReproductionRequest withDefaults() {
        return new ReproductionRequest(repo != null ? repo : "pack-4m", client != null ? client : "bc",
                repetitions != null ? repetitions : 3, seed != null ? seed : 1L, cpu, maxSimulatedSeconds);
    }
}
