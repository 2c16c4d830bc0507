package io.testbed.kernel.sim;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine is deterministic by construction: time is passed in, randomness comes from one seeded
 * source, nothing sleeps, and the model knows nothing of Spring or gRPC. Checked on the bytecode, so a
 * violation fails the build rather than a review.
 */
class EngineRulesTest {
    private static final String[] ENGINE = {
            "io.testbed.kernel.sim.time..", "io.testbed.kernel.sim.sched..", "io.testbed.kernel.sim.net..",
            "io.testbed.kernel.sim.fs..", "io.testbed.kernel.sim.syscall..", "io.testbed.kernel.sim.session..",
            "io.testbed.kernel.sim.machine.."};
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.testbed.kernel.sim");
    }

    private static void check(ArchRule rule) {
        // ArchUnit's failure message lists every violating call site
        org.assertj.core.api.Assertions.assertThatCode(() -> rule.check(classes)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("the engine never reads the wall clock")
    void noWallClock() {
        check(noClasses().that().resideInAnyPackage(ENGINE).should()
                .callMethod(System.class, "nanoTime").orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.LocalDateTime.class, "now"));
    }

    @Test
    @DisplayName("the engine never sleeps")
    void noSleep() {
        check(noClasses().that().resideInAnyPackage(ENGINE).should()
                .callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
                .orShould().callMethod(java.util.concurrent.TimeUnit.class, "sleep", long.class));
    }

    @Test
    @DisplayName("the engine has no unseeded randomness")
    void noUnseededRandom() {
        check(noClasses().that().resideInAnyPackage(ENGINE).should()
                .callConstructor(java.util.Random.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().accessClassesThat().belongToAnyOf(java.util.concurrent.ThreadLocalRandom.class,
                        java.security.SecureRandom.class));
    }

    @Test
    @DisplayName("the engine depends on neither Spring nor gRPC")
    void noFrameworks() {
        check(noClasses().that().resideInAnyPackage(ENGINE).should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.grpc..", "io.micrometer.."));
    }
}
