package io.testbed.kernel.sim;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.testbed.kernel.sim.runtime.Ticker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * kernel-sim's layers, as its folders show them (see the package's {@code package-info}): {@code time} and
 * {@code config} at the ground; {@code sched}, {@code net} and {@code fs} on them; {@code syscall} and
 * {@code session} next; then {@code machine}; then {@code runtime}, the only code that sees the wall clock;
 * then the world ({@code api}, {@code metrics}, {@code calibration} and the Spring wiring at the root).
 * No import runs from a lower layer to a higher one, the top-level packages have no cycle, and the wall
 * clock is read only in {@code runtime} and the Spring and gRPC top.
 */
class LayeringTest {
    private static final String SIM = "io.testbed.kernel.sim";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SIM);
    }

    private static void check(ArchRule rule) {
        // ArchUnit's failure message lists every offending dependency
        assertThatCode(() -> rule.check(classes)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("each layer imports only the layers below it")
    void layers() {
        check(layeredArchitecture().consideringOnlyDependenciesInAnyPackage(SIM + "..")
                .layer("time").definedBy(SIM + ".time..")
                .layer("config").definedBy(SIM + ".config..")
                .layer("sched").definedBy(SIM + ".sched..")
                .layer("net").definedBy(SIM + ".net..")
                .layer("fs").definedBy(SIM + ".fs..")
                .layer("syscall").definedBy(SIM + ".syscall..")
                .layer("session").definedBy(SIM + ".session..")
                .layer("machine").definedBy(SIM + ".machine..")
                .layer("runtime").definedBy(SIM + ".runtime..")
                .layer("top").definedBy(SIM + ".api..", SIM + ".metrics..", SIM + ".calibration..", SIM)
                .whereLayer("top").mayNotBeAccessedByAnyLayer()
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("top")
                .whereLayer("machine").mayOnlyBeAccessedByLayers("runtime", "top")
                .whereLayer("syscall").mayOnlyBeAccessedByLayers("machine", "runtime", "top")
                .whereLayer("session").mayOnlyBeAccessedByLayers("machine", "runtime", "top")
                .whereLayer("sched").mayOnlyBeAccessedByLayers("syscall", "session", "machine", "runtime", "top")
                .whereLayer("net").mayOnlyBeAccessedByLayers("syscall", "session", "machine", "runtime", "top")
                .whereLayer("fs").mayOnlyBeAccessedByLayers("syscall", "session", "machine", "runtime", "top")
                .whereLayer("config").mayOnlyBeAccessedByLayers("sched", "net", "fs", "syscall", "session", "machine",
                        "runtime", "top")
                .whereLayer("time").mayOnlyBeAccessedByLayers("sched", "net", "fs", "syscall", "session", "machine",
                        "runtime", "top"));
    }

    @Test
    @DisplayName("the top-level packages have no cycle")
    void noCycles() {
        check(slices().matching(SIM + ".(*)..").should().beFreeOfCycles());
    }

    @Test
    @DisplayName("the wall clock (a Ticker, System.nanoTime or currentTimeMillis, Thread.sleep) only in runtime and the top")
    void wallClockOnlyInRuntime() {
        String[] below = {SIM + ".time..", SIM + ".config..", SIM + ".sched..", SIM + ".net..", SIM + ".fs..",
                SIM + ".syscall..", SIM + ".session..", SIM + ".machine.."};
        check(noClasses().that().resideInAnyPackage(below)
                .should().dependOnClassesThat().belongToAnyOf(Ticker.class)
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", long.class, int.class));
    }
}
