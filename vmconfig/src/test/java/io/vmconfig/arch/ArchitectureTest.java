package io.vmconfig.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.vmconfig.adapters.files.AtomicTreeWriter;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.files.OwnerOnlyFiles;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.VolumeMaps;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.adapters.metrics.SyncMetrics;

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

    /**
     * The CLI parses options, calls a use case and prints: every adapter is built by a service (io.vmconfig.service)
     * or by the composition root (io.vmconfig.app, e.g. the cluster connector the commands are given), never by a
     * command. A command may hold the cluster handle it was given and pass it on.
     */
    @ArchTest
    static final ArchRule cliBuildsNoAdapter = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.cli..")
            .should()
            .callConstructorWhere(JavaCall.Predicates.target(
                    HasOwner.Predicates.With.owner(JavaClass.Predicates.resideInAPackage("io.vmconfig.adapters.."))))
            .orShould()
            .beAssignableTo(JavaClass.Predicates.resideInAPackage("io.vmconfig.adapters.."))
            .because("use cases live in io.vmconfig.service and wiring in io.vmconfig.app (issue 13)");

    /**
     * The CLI reaches repositories through the root's BlobStoreOpener (RepoEnvironment) and servers only through a
     * service (the sync controller's and seal's /metrics and /healthz): no store, server or plugin adapter in it.
     */
    @ArchTest
    static final ArchRule cliUsesNoStoreServerOrPluginAdapter = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.vmconfig.adapters.s3..",
                    "io.vmconfig.adapters.fs..",
                    "io.vmconfig.adapters.memory..",
                    "io.vmconfig.adapters.http..",
                    "io.vmconfig.adapters.velero..",
                    "io.vmconfig.adapters.goplugin..");

    /**
     * What the CLI still touches of the adapters, by name, so that the list can only shrink: the cluster handle the
     * root's connector gives (KubeCluster), the VolumeMap read of --map-ref, the user's files (read, written
     * atomically, owner-only), the process's log format and the sync controller's metrics handed to tests.
     */
    @ArchTest
    static final ArchRule cliTouchesOnlyTheseAdapters = noClasses()
            .that()
            .resideInAPackage("io.vmconfig.cli..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.vmconfig.adapters..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(
                            KubeCluster.class,
                            VolumeMaps.class,
                            KubeObjectReader.class,
                            AtomicTreeWriter.class,
                            OwnerOnlyFiles.class,
                            LogOutput.class,
                            SyncMetrics.class))));

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
