package io.vmconfig.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The repository format stays pure: no S3 client, no HTTP, no S3Proxy, no cluster client, no CLI. */
class RepositoryArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vmconfig");

    @Test
    void coreRepoImportsNoAdapterLibrary() {
        noClasses()
                .that()
                .resideInAPackage("io.vmconfig.core.repo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.minio..",
                        "okhttp3..",
                        "org.gaul..",
                        "io.fabric8..",
                        "io.grpc..",
                        "picocli..",
                        "io.vmconfig.adapters..",
                        "io.vmconfig.cli..",
                        "io.vmconfig.app..")
                .check(MAIN);
    }

    @Test
    void onlyTheS3AdapterTalksToMinio() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.vmconfig.adapters.s3..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.minio..", "okhttp3..")
                .check(MAIN);
    }
}
