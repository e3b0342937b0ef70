package io.vmconfig.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin's adapters stay apart (the core's purity is ArchitectureTest's): hosting, wire, Kubernetes. */
class PluginArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vmconfig");
    }

    @Test
    void goPluginHostingKnowsNothingOfVeleroActionsOrKubernetes() {
        noClasses()
                .that()
                .resideInAPackage("io.vmconfig.adapters.goplugin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vmconfig.adapters.velero..",
                        "io.vmconfig.adapters.kube..",
                        "io.fabric8..",
                        "io.vmconfig.core.velero..")
                .check(classes);
    }

    @Test
    void veleroServicesDoNotReachKubernetes() {
        noClasses()
                .that()
                .resideInAPackage("io.vmconfig.adapters.velero..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..", "io.vmconfig.adapters.kube..")
                .check(classes);
    }
}
