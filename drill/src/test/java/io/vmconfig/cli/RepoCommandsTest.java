package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository commands through the real command line, with S3 over HTTP (S3Proxy) where it matters. */
class RepoCommandsTest {
    static final Path PRODUCTION = Fixtures.EXAMPLES.resolve("production");
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();

    @TempDir
    Path tmp;

    String keys;

    @BeforeEach
    void keys() {
        keys = tmp.resolve("keys").toString();
        Cli.Result r = Cli.run("keys", "generate", "--out", keys);
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void secretKeyFilesAreOwnerOnlyAndNeverOverwritten() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(Path.of(keys, "signing.key"))))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(Path.of(keys, "repository.key"))))
                .isEqualTo("rw-------");
        String before = Files.readString(Path.of(keys, "signing.key"));
        Cli.Result again = Cli.run("keys", "generate", "--out", keys);
        assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Files.readString(Path.of(keys, "signing.key"))).isEqualTo(before);
        assertThat(again.out() + again.err()).doesNotContain(before.strip());
    }

    private String s3Repo() throws Exception {
        Path creds = tmp.resolve("cloud");
        Files.writeString(
                creds,
                "[default]\naws_access_key_id=nobody\naws_secret_access_key=nothing\n\n[backup]\n"
                        + "aws_access_key_id=" + EmbeddedS3.ACCESS_KEY + "\naws_secret_access_key="
                        + EmbeddedS3.SECRET_KEY + "\n");
        return EmbeddedS3.get().newBucketUrl("vmconfig/prod") + "&credentials=" + creds + "&profile=backup";
    }

    private Cli.Result init(String repo) {
        return Cli.run(
                "repo", "init", "--repo", repo, "--signer", keys + "/signing.pub", "--key", keys + "/repository.key");
    }

    private Cli.Result backup(String repo, Path from, String... more) {
        String[] base = {
            "backup",
            "--from",
            from.toString(),
            "--repo",
            repo,
            "--signing-key",
            keys + "/signing.key",
            "--key",
            keys + "/repository.key"
        };
        String[] all = Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
        return Cli.run(all);
    }

    private Cli.Result read(String command, String repo, String... more) {
        String[] base = {
            command, "--repo", repo, "--verify-key", keys + "/signing.pub", "--key", keys + "/repository.key"
        };
        return Cli.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private Path changedCopy() throws IOException {
        Path copy = tmp.resolve("changed");
        Files.createDirectories(copy);
        for (String f : new String[] {"web-01.yaml", "db-02.yaml", "app-03.yaml"}) {
            String text = Files.readString(PRODUCTION.resolve(f));
            if (f.equals("web-01.yaml")) {
                text = text.replace("cores: 2", "cores: 4").replace("generation: 7", "generation: 8");
            }
            Files.writeString(copy.resolve(f), text);
        }
        return copy;
    }

    @Test
    void backupHistoryShowDiffVerifyAndRestoreOverS3() throws Exception {
        String repo = s3Repo();
        assertThat(init(repo).code()).isZero();
        Cli.Result first = backup(repo, PRODUCTION, "-o", "json");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Json.parse(first.out(), "out").path("bundlesWritten").asInt())
                .isEqualTo(3);

        Cli.Result same = backup(repo, PRODUCTION, "-o", "json");
        JsonNode s = Json.parse(same.out(), "out");
        assertThat(s.path("bundlesWritten").asInt()).isZero();
        assertThat(s.path("manifestsWritten").asInt()).isZero();

        Cli.Result changed = backup(repo, changedCopy(), "-o", "json");
        assertThat(Json.parse(changed.out(), "out").path("bundlesWritten").asInt())
                .isEqualTo(1);

        Cli.Result sets = read("sets", repo, "-o", "json");
        assertThat(Json.parse(sets.out(), "out")).hasSize(3);

        Cli.Result history = read("history", repo, "prod-apps/web-01");
        assertThat(history.code()).isZero();
        assertThat(history.out().lines().skip(1)).hasSize(2);

        Cli.Result show = read("show", repo, "prod-apps/web-01@1");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("kind: VirtualMachine")
                .contains("<redacted hmac:")
                .doesNotContain("qemu-guest-agent");

        Cli.Result diff = read("diff", repo, "prod-apps/web-01", "1", "2");
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("~ /vm/spec/template/spec/domain/cpu/cores: 2 -> 4");

        Cli.Result verify = read("verify", repo);
        assertThat(verify.code()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("OK");

        Path dr = tmp.resolve("dr");
        Cli.Result restore = read("restore", repo, "--map", MAP, "--out", dr.toString());
        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
        assertThat(KubeObjectReader.read(dr.resolve("prod-apps/web-01.yaml"))
                        .get(1)
                        .object()
                        .at("/spec/runStrategy")
                        .asText())
                .isEqualTo("Halted");

        Cli.Result older = read(
                "restore",
                repo,
                "--map",
                MAP,
                "--out",
                dr.toString(),
                "--set",
                Json.parse(sets.out(), "out").get(0).path("set").asText());
        assertThat(older.code()).as(older.out()).isEqualTo(ExitCodes.REFUSED);
        assertThat(older.out()).contains("older than the applied revision");
    }

    @Test
    void restoreVmRestoresOnlyThatVmAndNamesOneTheSetDoesNotHold() throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(init(repo).code()).isZero();
        assertThat(backup(repo, PRODUCTION).code()).isZero();
        Path out = tmp.resolve("one");
        Cli.Result one =
                read("restore", repo, "--map", MAP, "--out", out.toString(), "--vm", "prod-apps/web-01", "-o", "json");
        assertThat(one.code()).as(one.out() + one.err()).isZero();
        assertThat(Json.parse(one.out(), "out").path("counts").path("restored").asInt())
                .isEqualTo(1);
        Cli.Result missing = read(
                "restore", repo, "--map", MAP, "--out", tmp.resolve("none").toString(), "--vm", "prod-apps/nowhere");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("prod-apps/nowhere").contains("not in set");
    }

    @Test
    void verifyNamesACorruptBundleAndRestoreRefusesThatVmOnly() throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(init(repo).code()).isZero();
        assertThat(backup(repo, PRODUCTION).code()).isZero();
        Path bundle;
        try (Stream<Path> s = Files.walk(tmp.resolve("repo/bundles"))) {
            bundle = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(bundle);
        b[b.length / 2] ^= 1;
        Files.write(bundle, b);
        String name = "bundles/" + bundle.getFileName();

        Cli.Result verify = read("verify", repo);
        assertThat(verify.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(verify.out()).contains("CORRUPT " + name).contains("1 problem(s)");

        Cli.Result restore =
                read("restore", repo, "--map", MAP, "--out", tmp.resolve("dr").toString(), "-o", "json");
        assertThat(restore.code()).isEqualTo(ExitCodes.INTEGRITY);
        JsonNode t = Json.parse(restore.out(), "out");
        assertThat(t.path("counts").path("restored").asInt()).isEqualTo(2);
        assertThat(t.path("counts").path("failed").asInt()).isEqualTo(1);
    }

    @Test
    void readingWithoutAPublicKeyIsRefusedUnlessAskedToSkip() {
        String repo = tmp.resolve("repo").toString();
        init(repo);
        backup(repo, PRODUCTION);
        Cli.Result refused = Cli.run("sets", "--repo", repo);
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--verify-key");
        Cli.Result skipped =
                Cli.run("sets", "--repo", "file://" + tmp.resolve("repo").toAbsolutePath(), "--insecure-skip-verify");
        assertThat(skipped.code()).isZero();
        assertThat(skipped.out()).contains("unverified");
    }

    @Test
    void wrongS3CredentialsFailClearlyWithoutPrintingThem() throws Exception {
        String repo = s3Repo().replace("profile=backup", "profile=default");
        Cli.Result r = init(repo);
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("InvalidAccessKeyId")
                .doesNotContain("nothing")
                .doesNotContain(EmbeddedS3.SECRET_KEY);
    }

    @Test
    void pruneKeepsWhatTheLastSetsNeed() {
        String repo = tmp.resolve("repo").toString();
        init(repo);
        backup(repo, PRODUCTION);
        Cli.Result p = read("prune", repo, "--keep-last", "1", "--keep-within", "0s", "-o", "json");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(Json.parse(p.out(), "out").path("keptSets").asInt()).isEqualTo(1);
        assertThat(read("verify", repo).code()).isZero();
        Cli.Result tooShort = read("prune", repo, "--grace", "1h");
        assertThat(tooShort.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aFolderWithoutARepositoryIsAConfigErrorAndInitRunsOnce() {
        String repo = tmp.resolve("empty").toString();
        Cli.Result r = read("sets", repo);
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("vmconfig repo init");
        assertThat(init(repo).code()).isZero();
        assertThat(init(repo).code()).isEqualTo(ExitCodes.REFUSED);
        Cli.Result unknown = Cli.run("sets", "--repo", "ftp://host/x", "--insecure-skip-verify");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void restoreTakesExactlyOneSource() {
        Cli.Result r = read(
                "restore",
                tmp.resolve("repo").toString(),
                "--from",
                PRODUCTION.toString(),
                "--map",
                MAP,
                "--out",
                tmp.resolve("dr").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("exactly one source");
    }
}
