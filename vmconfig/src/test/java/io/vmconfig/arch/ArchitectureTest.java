package io.vmconfig.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the boundaries: a pure core, adapters around it, one composition root. */
@AnalyzeClasses(packages = "io.vmconfig", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule coreKnowsNoInfrastructure = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.minio..",
                    "okhttp3..",
                    "org.gaul..",
                    "io.fabric8..",
                    "io.grpc..",
                    "com.google.protobuf..",
                    "picocli..",
                    "io.netty..",
                    "java.net.http..",
                    "java.nio.file..",
                    "java.io.File")
            .because("the core is pure: adapters do the I/O (design: core knows nothing of S3, Kubernetes or gRPC)");

    @ArchTest
    static final ArchRule coreDependsOnNoOuterLayer = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vmconfig.adapters..", "io.vmconfig.cli..", "io.vmconfig.app..");

    @ArchTest
    static final ArchRule adaptersDoNotUseTheCliOrTheRoot = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.adapters..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vmconfig.cli..", "io.vmconfig.app..");

    /** The application services (use cases such as the sync controller) sit between the CLI and the adapters. */
    @ArchTest
    static final ArchRule servicesKnowNoCliOrRoot = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.service..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vmconfig.cli..", "io.vmconfig.app..", "picocli..");

    /** Each adapter translates one outside system; what two of them share is a core port (e.g. StructuredLog). */
    @ArchTest
    static final ArchRule adaptersDoNotImportEachOther =
            com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                    .matching("io.vmconfig.adapters.(*)..")
                    .should()
                    .notDependOnEachOther();

    @ArchTest
    static final ArchRule adaptersDoNotUseServices = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.adapters..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vmconfig.service..");

    @ArchTest
    static final ArchRule onlyTheRootWiresTheCli = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vmconfig.app..");

    @ArchTest
    static final ArchRule productCarriesNoTestInfrastructure = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.vmconfig.drill..",
                    "io.vmconfig.adapters.embedded..",
                    "org.gaul..",
                    "io.fabric8.kubernetes.client.server.mock..",
                    "io.fabric8.mockwebserver..",
                    "io.vertx..",
                    "software.amazon.awssdk..",
                    "org.testcontainers..")
            .because("the plugin file and the CLI image ship this module: the drill's embedded servers live in "
                    + "vmconfig-drill (the enforcer bans their artifacts here too)");
}
