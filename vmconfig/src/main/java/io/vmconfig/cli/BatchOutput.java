package io.vmconfig.cli;

import io.vmconfig.adapters.files.AtomicTreeWriter;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Yaml;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the documents of successful results as {@code DIR/<namespace>/<name>.yaml}, all at once. */
final class BatchOutput {
    private BatchOutput() {}

    /** Most file systems allow file names of at most 255 bytes. */
    static final int MAX_FILE_NAME_BYTES = 255;

    /**
     * Each result whose file name ({@code <name>.yaml}) the file system cannot hold becomes a failure of that VM alone
     * (a Kubernetes name may be 253 characters); the others are written.
     */
    static List<VmResult> fitFileNames(List<VmResult> results) {
        return results.stream()
                .map(r -> {
                    if (!r.ok() || r.target() == null) {
                        return r;
                    }
                    int bytes = (r.target().name() + ".yaml").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    return bytes <= MAX_FILE_NAME_BYTES
                            ? r
                            : VmResult.failed(
                                    r.ref(),
                                    r.origin(),
                                    "VirtualMachine "
                                            + r.target() + ": the name is too long for a file name (" + bytes
                                            + " bytes with .yaml, at most "
                                            + MAX_FILE_NAME_BYTES + "); not written");
                })
                .toList();
    }

    /** Writes (unless {@code dryRun}) and returns the relative file of each written result. */
    static Map<VmResult, String> write(Path outDir, List<VmResult> results, boolean dryRun) {
        IdentityHashMap<VmResult, String> names = new IdentityHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (VmResult r : results) {
            if (r.ok() && r.target() != null) {
                String rel = r.target().namespace() + "/" + r.target().name() + ".yaml";
                files.put(rel, Yaml.writeAll(r.documents()));
                names.put(r, (dryRun ? "(dry run) " : "") + outDir.resolve(rel));
            }
        }
        if (!dryRun && !files.isEmpty()) {
            AtomicTreeWriter.write(outDir, files);
        }
        return names;
    }

    /**
     * The same output written a VM at a time into a staging folder and moved into place by {@link #commit} (nothing
     * is visible before), so that a restore of 100,000 VMs holds no file's text beyond the one it writes.
     */
    static final class Streamed implements AutoCloseable {
        private final Path outDir;
        private final boolean dryRun;
        private AtomicTreeWriter.Staged staged;

        Streamed(Path outDir, boolean dryRun) {
            this.outDir = outDir;
            this.dryRun = dryRun;
        }

        /**
         * Writes {@code r}'s documents (unless a dry run) and returns the file it went to, as {@link #write} names it,
         * or null when {@code r} writes nothing. Nothing of {@code r} is kept.
         */
        String add(VmResult r) {
            if (!r.ok() || r.target() == null) {
                return null;
            }
            String rel = r.target().namespace() + "/" + r.target().name() + ".yaml";
            if (!dryRun) {
                if (staged == null) {
                    staged = AtomicTreeWriter.open(outDir);
                }
                staged.add(rel, Yaml.writeAll(r.documents()));
            }
            return (dryRun ? "(dry run) " : "") + outDir.resolve(rel);
        }

        void commit() {
            if (staged != null) {
                staged.commit();
            }
        }

        @Override
        public void close() {
            if (staged != null) {
                staged.close();
            }
        }
    }

    static int exitCode(List<VmResult> results) {
        if (results.stream().anyMatch(r -> r.status() == VmResult.Status.REFUSED)) {
            return ExitCodes.REFUSED;
        }
        return results.stream().allMatch(VmResult::ok) ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
