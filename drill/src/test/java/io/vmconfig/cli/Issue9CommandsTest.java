package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Digest;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9's command-line items, each through the real command line against a folder repository. */
class Issue9CommandsTest {
    static final Path PRODUCTION = Fixtures.EXAMPLES.resolve("production");
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();

    @TempDir
    Path tmp;

    String keys;
    String repo;

    @BeforeEach
    void setUp() {
        keys = tmp.resolve("keys").toString();
        assertThat(Cli.run("keys", "generate", "--out", keys).code()).isZero();
        repo = tmp.resolve("repo").toString();
        Cli.Result init = Cli.run(
                "repo", "init", "--repo", repo, "--signer", keys + "/signing.pub", "--key", keys + "/repository.key");
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(init.out()).contains("format version 4");
    }

    private Cli.Result backup(Path from) {
        return Cli.run(
                "backup",
                "--from",
                from.toString(),
                "--repo",
                repo,
                "--signing-key",
                keys + "/signing.key",
                "--key",
                keys + "/repository.key");
    }

    private Cli.Result read(String command, String... more) {
        String[] base = {
            command, "--repo", repo, "--verify-key", keys + "/signing.pub", "--key", keys + "/repository.key"
        };
        return Cli.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The production examples with db-02's cloud-init user data replaced. */
    private Path withUserData(String name, String userData) throws Exception {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        for (String f : new String[] {"web-01.yaml", "db-02.yaml", "app-03.yaml"}) {
            String text = Files.readString(PRODUCTION.resolve(f));
            Files.writeString(
                    copy.resolve(f),
                    text.replace(
                            "I2Nsb3VkLWNvbmZpZwpob3N0bmFtZTogZGItMDIK",
                            Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));
        }
        return copy;
    }

    @Test
    void item1_backupsOfARevertedSecretLeaveEverySetVerifiedAndRestorable() throws Exception {
        Path one = withUserData("one", "#cloud-config\npassword: one\n");
        assertThat(backup(one).code()).isZero();
        assertThat(backup(withUserData("two", "#cloud-config\npassword: two\n")).code())
                .isZero();
        assertThat(backup(one).code()).isZero();
        Cli.Result verify = read("verify");
        assertThat(verify.code()).as(verify.out()).isZero();
        Cli.Result sets = read("sets", "-o", "json");
        String first = Json.parse(sets.out(), "sets").get(0).path("set").asText();
        Cli.Result restore =
                read("restore", "--map", MAP, "--out", tmp.resolve("dr").toString(), "--set", first);
        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
    }

    @Test
    void item1_writersRefuseAnOlderRootAndRepoUpgradeMovesItWithoutTouchingHistory() throws Exception {
        assertThat(backup(PRODUCTION).code()).isZero();
        Path root = Path.of(repo, "vmconfig.json");
        Files.writeString(root, Files.readString(root).replace("\"version\":4", "\"version\":2"));
        Cli.Result refused = backup(PRODUCTION);
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("vmconfig repo upgrade");
        assertThat(read("verify").code()).as("version 2 stays readable").isZero();

        Cli.Result up = Cli.run("repo", "upgrade", "--repo", repo, "--key", keys + "/repository.key");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("from format version 2 to 4");
        assertThat(Files.readString(root)).contains("\"version\":4");
        assertThat(backup(PRODUCTION).code()).isZero();
        assertThat(read("verify").code()).isZero();
        assertThat(Cli.run("repo", "upgrade", "--repo", repo, "--key", keys + "/repository.key")
                        .out())
                .contains("already format version 4");
    }

    @Test
    void item2_pruneNamesUnverifiableSetsExitsThreeAndKeepsTheNewestValidSet() throws Exception {
        assertThat(backup(PRODUCTION).code()).isZero();
        Files.writeString(Path.of(repo, "sets", "29991231t235959999z-00000000.json"), "junk");
        Files.writeString(Path.of(repo, "sets", "notes.txt"), "junk");
        Cli.Result prune = read("prune", "--keep-last", "1", "--keep-within", "0s", "--grace", "12h");
        assertThat(prune.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(prune.out())
                .contains("UNVERIFIED sets/29991231t235959999z-00000000.json")
                .contains("UNVERIFIED sets/notes.txt")
                .contains("kept 1 sets");
        assertThat(read("prune", "--insecure-skip-verify").code()).isEqualTo(ExitCodes.USAGE);
        Cli.Result history = read("history", "lab/db-02");
        assertThat(history.code())
                .as("garbage in sets/ is no part of the history: " + history.err())
                .isZero();
        assertThat(read("show", "lab/db-02").code()).isZero();
        assertThat(read("sets").code()).as("sets names it").isEqualTo(ExitCodes.INTEGRITY);
        Cli.Result restore =
                read("restore", "--map", MAP, "--out", tmp.resolve("dr").toString());
        assertThat(restore.code())
                .as("latest is the newest set that verifies: " + restore.out() + restore.err())
                .isZero();
    }

    @Test
    void item4_showAndDiffRedactWithAKeyedHashNeverAPlainOne() throws Exception {
        String secret = "#cloud-config\npassword: hunter2\n";
        assertThat(backup(withUserData("one", secret)).code()).isZero();
        Cli.Result show = read("show", "lab/db-02");
        assertThat(show.code()).as(show.err()).isZero();
        String stored = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        assertThat(show.out())
                .contains("<redacted hmac:")
                .doesNotContain(stored)
                .doesNotContain("hunter2")
                .doesNotContain(Digest.sha256(stored.getBytes(StandardCharsets.UTF_8))
                        .hex()
                        .substring(0, 12));
        assertThat(backup(withUserData("two", "#cloud-config\npassword: other\n"))
                        .code())
                .isZero();
        Cli.Result diff = read("diff", "lab/db-02", "1", "2");
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("userdata").contains("<redacted hmac:").doesNotContain("hunter2");
    }

    @Test
    void item4_malformedSecretDataIsRedactedWhole() {
        ObjectNode bundle = Json.object();
        ObjectNode s1 = bundle.putArray("dependencies")
                .addObject()
                .put("kind", "Secret")
                .put("data", "cGFzc3dvcmQ6IGh1bnRlcjI=");
        s1.putArray("stringData").add("password: hunter2");
        ((com.fasterxml.jackson.databind.node.ArrayNode) bundle.get("dependencies"))
                .addObject()
                .put("kind", "Secret")
                .putObject("data")
                .putArray("nested")
                .add("hunter2");
        String printed = Json.compact(Redact.secrets(bundle, Optional.of(RepositoryKey.of(new byte[32]))));
        assertThat(printed).doesNotContain("hunter2").doesNotContain("cGFzc3dvcmQ6IGh1bnRlcjI=");
        assertThat(Json.compact(Redact.secrets(bundle, Optional.empty())))
                .doesNotContain("hunter2")
                .doesNotContain("hmac");
    }

    @Test
    void item4_showRedactsMalformedSecretDataInAStoredBundle() throws Exception {
        Path copy = tmp.resolve("malformed");
        Files.createDirectories(copy);
        Files.writeString(
                copy.resolve("db-02.yaml"),
                Files.readString(PRODUCTION.resolve("db-02.yaml"))
                        .replace(
                                "data:\n  userdata: I2Nsb3VkLWNvbmZpZwpob3N0bmFtZTogZGItMDIK",
                                "data: hunter2-in-a-string"));
        Cli.Result b = backup(copy);
        assertThat(b.code()).as(b.out() + b.err()).isZero();
        Cli.Result show = read("show", "lab/db-02");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("data: <redacted>").doesNotContain("hunter2");
    }

    @Test
    void item4_restoreIntoAnExistingFolderWritesSecretDataOwnerOnly() throws Exception {
        assertThat(backup(PRODUCTION).code()).isZero();
        Path dr = tmp.resolve("dr");
        Files.createDirectories(dr);
        Files.setPosixFilePermissions(dr, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result restore = read("restore", "--map", MAP, "--out", dr.toString());
        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
        try (Stream<Path> s = Files.walk(dr)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(mode(Path.of(keys, "repository.key"))).isEqualTo("rw-------");
        assertThat(mode(Path.of(keys, "signing.key"))).isEqualTo("rw-------");
    }

    @Test
    void item5_aHiddenStagingFolderLeftByAKilledExportIsNeverReadAsInput() throws Exception {
        Path out = tmp.resolve("export");
        Files.createDirectories(out.resolve(".vmconfig-staging-123/lab"));
        Files.copy(PRODUCTION.resolve("db-02.yaml"), out.resolve(".vmconfig-staging-123/lab/db-02.yaml"));
        Files.copy(PRODUCTION.resolve("web-01.yaml"), out.resolve("web-01.yaml"));
        Cli.Result restore = Cli.run(
                "restore",
                "--from",
                out.toString(),
                "--map",
                MAP,
                "--out",
                tmp.resolve("dr").toString(),
                "-o",
                "json");
        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
        assertThat(restore.out()).doesNotContain("db-02").contains("web-01");
    }

    @Test
    void item5_verifyReportsStrayFilesInSets() throws Exception {
        assertThat(backup(PRODUCTION).code()).isZero();
        Files.writeString(Path.of(repo, "sets", "notes.txt"), "x");
        Cli.Result verify = read("verify");
        assertThat(verify.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(verify.out()).contains("CORRUPT sets/notes.txt");
    }

    @Test
    void item5_repoInitWithAMistypedS3UrlIsAUsageErrorNotAFolder() {
        Path cwd = Path.of("s3:");
        Cli.Result r = Cli.run(
                "repo",
                "init",
                "--repo",
                "s3:/bucket",
                "--signer",
                keys + "/signing.pub",
                "--key",
                keys + "/repository.key");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("s3://BUCKET/PREFIX");
        assertThat(Files.exists(cwd)).isFalse();
    }

    @Test
    void item5_historyOfAnUnknownVmSaysSo() {
        assertThat(backup(PRODUCTION).code()).isZero();
        Cli.Result r = read("history", "nosuch/vm");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("VM nosuch/vm is in no set of this repository");
    }
}
