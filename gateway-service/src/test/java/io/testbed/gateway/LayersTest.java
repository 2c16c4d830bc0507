package io.testbed.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThatCode;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Issue 18: the gateway's packages form layers, and no import runs from a lower layer to a higher one.
 * <pre>
 *   (root)                                            the application, StartupRecovery
 *   web                                               the HTTP surface
 *   download  experiment  reproduction  calibration   the features
 *   retention store
 *   run                                               MachineRun: a machine and its downloads
 *   tlsclient kernel git discovery                    the clients of the other services
 *   common                                            Status and the exceptions every layer shares
 * </pre>
 */
class LayersTest {

    private static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.testbed.gateway");
    }

    /** ArchUnit's failure message lists every violating dependency. */
    private static void check(ArchRule rule) {
        assertThatCode(() -> rule.check(classes)).doesNotThrowAnyException();
    }

    @Test
    void theTopLevelPackages_haveNoCycles() {
        check(slices().matching("io.testbed.gateway.(*)..").should().beFreeOfCycles());
    }

    @Test
    void webIsOnTop_theFeaturesBelowIt_thenMachineRuns_thenTheClients_thenCommon() {
        check(layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("app").definedBy("io.testbed.gateway")
                .layer("web").definedBy("io.testbed.gateway.web..")
                .layer("features").definedBy("io.testbed.gateway.download..", "io.testbed.gateway.experiment..",
                        "io.testbed.gateway.reproduction..", "io.testbed.gateway.calibration..",
                        "io.testbed.gateway.retention..", "io.testbed.gateway.store..")
                .layer("run").definedBy("io.testbed.gateway.run..")
                .layer("clients").definedBy("io.testbed.gateway.tlsclient..", "io.testbed.gateway.kernel..",
                        "io.testbed.gateway.git..", "io.testbed.gateway.discovery..")
                .layer("common").definedBy("io.testbed.gateway.common..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("web").mayOnlyBeAccessedByLayers("app")
                .whereLayer("features").mayOnlyBeAccessedByLayers("app", "web")
                .whereLayer("run").mayOnlyBeAccessedByLayers("app", "web", "features")
                .whereLayer("clients").mayOnlyBeAccessedByLayers("app", "web", "features", "run")
                .whereLayer("common").mayOnlyBeAccessedByLayers("app", "web", "features", "run", "clients"));
    }
}
