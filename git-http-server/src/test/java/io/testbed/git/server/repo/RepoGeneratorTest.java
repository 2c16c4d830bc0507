package io.testbed.git.server.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoGeneratorTest {

    /** Head of pack-1m with seed 1; pinned so that a change of content or layout is never silent. */
    static final String PACK_1M_SEED_1_HEAD = "23a151de77d7aa8d609b55829addc27449f3bdf3";

    @TempDir
    Path dir;

    @Test
    @DisplayName("the same (name, size, seed) gives the same head in two directories, and the pinned one")
    void generate_sameSpecTwice_sameHead() throws Exception {
        RepoSpec spec = RepoSpec.parse("pack-1m", 1);

        RepoInfo a = RepoGenerator.generate(spec, dir.resolve("a/pack-1m.git"));
        RepoInfo b = RepoGenerator.generate(spec, dir.resolve("b/pack-1m.git"));

        assertThat(a.head()).isEqualTo(b.head()).isEqualTo(PACK_1M_SEED_1_HEAD);
        assertThat(a.objects()).isEqualTo(b.objects()).isEqualTo(21);
        assertThat(a.packBytes()).isEqualTo(b.packBytes());
    }

    @Test
    @DisplayName("another seed gives another head")
    void generate_otherSeed_otherHead() throws Exception {
        RepoInfo one = RepoGenerator.generate(new RepoSpec("r", 4096, 1), dir.resolve("one/r.git"));
        RepoInfo two = RepoGenerator.generate(new RepoSpec("r", 4096, 2), dir.resolve("two/r.git"));

        assertThat(one.head()).isNotEqualTo(two.head());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pack-256k", "pack-1m"})
    @DisplayName("the pack is within 15% of the size the name implies")
    void generate_namedSize_packWithinFifteenPercent(String name) throws Exception {
        RepoSpec spec = RepoSpec.parse(name, 1);

        RepoInfo info = RepoGenerator.generate(spec, dir.resolve(name + ".git"));

        assertThat(info.packBytes()).isBetween((long) (spec.sizeBytes() * 0.85), (long) (spec.sizeBytes() * 1.15));
        try (var packs = Files.list(dir.resolve(name + ".git/objects/pack"))) {
            assertThat(packs.filter(p -> p.toString().endsWith(".pack")).count()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a generated repository validates for its own spec only")
    void validate_generated_acceptsOwnSpecOnly() throws Exception {
        RepoSpec spec = new RepoSpec("small", 8192, 3);
        Path gitDir = dir.resolve("small.git");
        RepoInfo info = RepoGenerator.generate(spec, gitDir);

        assertThat(RepoGenerator.validate(spec, gitDir)).contains(info);
        assertThat(RepoGenerator.validate(new RepoSpec("small", 8192, 4), gitDir)).isEmpty();
        assertThat(RepoGenerator.validate(spec, dir.resolve("absent.git"))).isEmpty();
    }

    @Test
    @DisplayName("regenerating over an invalid repository replaces it")
    void generate_overBrokenRepository_replacesIt() throws Exception {
        Path gitDir = dir.resolve("x.git");
        Files.createDirectories(gitDir.resolve("objects"));
        Files.writeString(gitDir.resolve("HEAD"), "garbage");

        RepoInfo info = RepoGenerator.generate(new RepoSpec("x", 2048, 1), gitDir);

        assertThat(RepoGenerator.validate(info.spec(), gitDir)).contains(info);
    }

    @Test
    @DisplayName("names imply sizes; entries may give size and seed")
    void parse_entries_impliedAndExplicit() {
        assertThat(RepoSpec.parse("pack-256k", 1)).isEqualTo(new RepoSpec("pack-256k", 262144, 1));
        assertThat(RepoSpec.parse("pack-64m", 5)).isEqualTo(new RepoSpec("pack-64m", 64L << 20, 5));
        assertThat(RepoSpec.parse("custom:5000:7", 1)).isEqualTo(new RepoSpec("custom", 5000, 7));
        assertThatThrownBy(() -> RepoSpec.parse("custom", 1)).hasMessageContaining("has no size");
    }

    @Test
    @DisplayName("invalid names and sizes are refused with a message saying what to change")
    void problemWith_invalid_explains() {
        assertThat(RepoSpec.problemWith("Bad!", 4096)).contains("a-z, 0-9 and '-'");
        assertThat(RepoSpec.problemWith("-x", 4096)).contains("starting with a letter");
        assertThat(RepoSpec.problemWith("x", 100)).contains("1024 (1 KiB) to 268435456 (256 MiB)");
        assertThat(RepoSpec.problemWith("x", (256L << 20) + 1)).contains("out of range");
        assertThat(RepoSpec.problemWith("pack-1m", 5000)).contains("implies sizeBytes 1048576");
        assertThat(RepoSpec.problemWith("a".repeat(64), 4096)).contains("1 to 63 characters");
        assertThat(RepoSpec.problemWith("pack-1m", 1048576)).isNull();
    }
}
