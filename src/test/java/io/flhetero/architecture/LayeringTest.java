package io.flhetero.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering README's development section describes, checked on the compiled classes: no package cycles, and
 * the federated core knows nothing of how clients are run or how the run is reported.
 */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flhetero");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("io.flhetero.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRecordsBothSidesSpeakDependOnNothingOfTheProduct() {
        noClasses().that().resideInAPackage("io.flhetero.fl.api").should().dependOnClassesThat()
                .resideOutsideOfPackages("io.flhetero.fl.api", "java..").check(classes);
    }

    @Test
    void theFederatedCoreDoesNotKnowHowClientsRunOrHowRunsAreReported() {
        noClasses().that().resideInAnyPackage("io.flhetero.fl..", "io.flhetero.policy..", "io.flhetero.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.flhetero.runtime..", "io.flhetero.run..",
                        "io.flhetero.monitor..", "io.flhetero.report..", "io.flhetero.cli..", "io.flhetero.bench..")
                .check(classes);
    }

    @Test
    void onlyTheCommandLineAndBenchmarksStartRuns() {
        noClasses().that().resideOutsideOfPackages("io.flhetero.run..", "io.flhetero.cli..", "io.flhetero.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.flhetero.run..").check(classes);
    }
}
