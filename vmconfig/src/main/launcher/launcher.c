/*
 * vmconfig Velero plugin launcher.
 *
 * Velero's container has glibc, but no shell and no Java runtime, and it execs every executable file under
 * /plugins. So the plugin is this one static executable with a payload appended: a jlink'ed Java runtime, the
 * application jar, its AOT/CDS archive and a list of JVM options. On first start the payload is unpacked into
 * $VELERO_SCRATCH_DIR (or $TMPDIR, or /tmp) under a folder named by the payload's content hash: each process unpacks
 * into a private temporary folder and renames it into place, so two processes starting at once are safe and the
 * loser simply uses the winner's folder. Then the launcher execs the runtime's java with the options, passing
 * Velero's arguments through. The launcher itself never writes to stdout: stdout belongs to the handshake line.
 *
 * Payload layout (all integers little-endian), after the ELF image:
 *   entries: "VMCE" u16 pathlen, path, u32 mode, u64 mtime, u64 size, u64 csize, csize bytes of one zstd frame
 *            (window up to 2^27: the uncompressed jar and jimage repeat themselves over megabytes; mode bit 31
 *            set: the bytes are stored as they are, for files that do not compress)
 *   trailer (64 bytes): "VMCONFIG-PAYLOAD" u64 payload_offset u64 entry_count char hash[32]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define TRAILER_SIZE 64
#define MAX_ARGS 256

static const char *prog = "vmconfig";

/* Writes s as the inside of a JSON string: quotes, backslashes and control characters escaped. */
static void json_text(const char *s) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(stderr, "\\%c", c);
        else if (c < 0x20) fprintf(stderr, "\\u%04x", c);
        else fputc(c, stderr);
    }
}

/* One JSON log line in the shape Velero parses, then exit 1. Never writes to stdout. */
/* The private folder being unpacked into, removed when the launcher dies half-way: no partial runtime is left. */
static char unpacking[PATH_MAX];
static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);

static void die(const char *what, const char *detail) {
    if (unpacking[0]) {
        nftw(unpacking, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        unpacking[0] = 0;
    }
    fputs("{\"@level\":\"error\",\"@message\":\"vmconfig launcher: ", stderr);
    json_text(what);
    if (detail) {
        fputs(": ", stderr);
        json_text(detail);
    }
    fputs("\"}\n", stderr);
    exit(1);
}

static void die_errno(const char *what, const char *path) {
    char buf[PATH_MAX + 128];
    snprintf(buf, sizeof buf, "%s (%s)", path, strerror(errno));
    die(what, buf);
}

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void read_fully(int fd, void *buf, size_t n, const char *what) {
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) die("payload truncated", what);
        p += r;
        n -= (size_t)r;
    }
}

static void write_fully(int fd, const void *buf, size_t n, const char *path) {
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) die_errno("cannot write", path);
        p += w;
        n -= (size_t)w;
    }
}

static int usable_dir(const char *d) {
    struct stat st;
    return d && *d && stat(d, &st) == 0 && S_ISDIR(st.st_mode) && access(d, W_OK | X_OK) == 0;
}

static void mkdirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(path, 0755) != 0 && errno != EEXIST) die_errno("cannot create folder", path);
            *p = '/';
        }
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

/* Decompresses csize bytes of one zstd frame from fd into out, which must come to size bytes. */
static void inflate_entry(int fd, int out, const char *path, uint64_t size, uint64_t csize) {
    ZSTD_DStream *zs = ZSTD_createDStream();
    if (zs == NULL) die("zstd init failed", path);
    if (ZSTD_isError(ZSTD_DCtx_setParameter(zs, ZSTD_d_windowLogMax, 27))) die("zstd init failed", path);
    static unsigned char in[1 << 17], buf[1 << 17];
    uint64_t left = csize, written = 0;
    size_t ret = 1;
    while (left > 0) {
        size_t n = left < sizeof in ? (size_t)left : sizeof in;
        read_fully(fd, in, n, path);
        left -= n;
        ZSTD_inBuffer input = {in, n, 0};
        while (input.pos < input.size) {
            ZSTD_outBuffer output = {buf, sizeof buf, 0};
            ret = ZSTD_decompressStream(zs, &output, &input);
            if (ZSTD_isError(ret)) die("corrupt payload entry", path);
            write_fully(out, buf, output.pos, path);
            written += output.pos;
        }
    }
    /* ret != 0: the decoder still holds output, or the frame is cut short (then nothing more comes out) */
    while (ret != 0) {
        ZSTD_inBuffer input = {in, 0, 0};
        ZSTD_outBuffer output = {buf, sizeof buf, 0};
        ret = ZSTD_decompressStream(zs, &output, &input);
        if (ZSTD_isError(ret) || (ret != 0 && output.pos == 0)) die("corrupt payload entry", path);
        write_fully(out, buf, output.pos, path);
        written += output.pos;
    }
    ZSTD_freeDStream(zs);
    if (ret != 0 || written != size) die("payload entry has the wrong size", path);
}

#define STORED 0x80000000u

/* Copies a stored entry from fd's current position into out. */
static void copy_stored(int fd, int out, uint64_t size, const char *path) {
    uint64_t left = size;
    while (left > 0) {
        ssize_t n = sendfile(out, fd, NULL, left > (1u << 30) ? (1u << 30) : (size_t)left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die_errno("cannot copy", path);
        left -= (uint64_t)n;
    }
}

/* Writes one entry from fd into path: inflated, or copied when stored. */
static void extract_entry(int fd, const char *path, uint32_t mode, uint64_t mtime, uint64_t size, uint64_t csize) {
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) die_errno("cannot create", path);
    if (mode & STORED) {
        if (csize != size) die("corrupt payload entry", path);
        copy_stored(fd, out, size, path);
    } else {
        inflate_entry(fd, out, path, size, csize);
    }
    struct timespec ts[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
    if (futimens(out, ts) != 0) die_errno("cannot set times of", path);
    if (fchmod(out, mode & 0755) != 0) die_errno("cannot chmod", path);
    if (close(out) != 0) die_errno("cannot close", path);
}

static void unpack(int fd, uint64_t offset, uint64_t count, const char *tmp) {
    if (lseek(fd, (off_t)offset, SEEK_SET) < 0) die_errno("cannot seek in", "payload");
    char path[PATH_MAX];
    for (uint64_t i = 0; i < count; i++) {
        unsigned char head[6];
        read_fully(fd, head, sizeof head, "entry header");
        if (memcmp(head, "VMCE", 4) != 0) die("corrupt payload", "bad entry magic");
        unsigned len = (unsigned)head[4] | ((unsigned)head[5] << 8);
        char rel[PATH_MAX];
        if (len == 0 || len >= sizeof rel) die("corrupt payload", "bad path length");
        read_fully(fd, rel, len, "entry path");
        rel[len] = 0;
        if (rel[0] == '/' || strstr(rel, "..") != NULL) die("corrupt payload", rel);
        unsigned char meta[28];
        read_fully(fd, meta, sizeof meta, rel);
        snprintf(path, sizeof path, "%s/%s", tmp, rel);
        mkdirs(path);
        extract_entry(fd, path, le32(meta), le64(meta + 4), le64(meta + 12), le64(meta + 20));
    }
}

/* Returns the unpacked folder, unpacking it first if no process has done so yet. */
static void ensure_unpacked(int fd, uint64_t offset, uint64_t count, const char *hash, char *dir, size_t dirlen) {
    const char *candidates[] = {getenv("VELERO_SCRATCH_DIR"), getenv("TMPDIR"), "/tmp"};
    const char *base = NULL;
    for (size_t i = 0; i < 3 && base == NULL; i++) {
        if (usable_dir(candidates[i])) base = candidates[i];
    }
    if (base == NULL) die("no writable folder to unpack into", "set VELERO_SCRATCH_DIR or TMPDIR");
    snprintf(dir, dirlen, "%s/vmconfig-plugin-%.32s-u%u", base, hash, (unsigned)geteuid());
    struct stat st;
    if (lstat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0)
            die("refusing a runtime folder not owned by this user or writable by others", dir);
        return;
    }
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.vmconfig-plugin-%.32s.%ld.%ld", base, hash, (long)getpid(), (long)time(NULL));
    if (mkdir(tmp, 0755) != 0) die_errno("cannot create folder", tmp);
    snprintf(unpacking, sizeof unpacking, "%s", tmp);
    unpack(fd, offset, count, tmp);
    unpacking[0] = 0;
    if (rename(tmp, dir) != 0) {
        int e = errno;
        nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        if (e != EEXIST && e != ENOTEMPTY) {
            errno = e;
            die_errno("cannot move the unpacked runtime into place", dir);
        }
    }
}

/*
 * Reads DIR/jvm.args: one argument a line, "${DIR}" replaced; lines "env:K=V" prepend to an environment variable,
 * "cwd:PATH" changes the working folder (Java 17's AppCDS only matches a class path spelled as at dump time).
 */
static int read_args(const char *dir, char **args, int max) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/jvm.args", dir);
    FILE *f = fopen(path, "re");
    if (!f) die_errno("cannot open", path);
    char line[PATH_MAX * 2];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 0 || line[0] == '#') continue;
        char out[PATH_MAX * 3];
        size_t o = 0;
        for (const char *p = line; *p && o < sizeof out - PATH_MAX; ) {
            if (strncmp(p, "${DIR}", 6) == 0) {
                o += (size_t)snprintf(out + o, sizeof out - o, "%s", dir);
                p += 6;
            } else {
                out[o++] = *p++;
            }
        }
        out[o] = 0;
        if (strncmp(out, "cwd:", 4) == 0) {
            if (chdir(out + 4) != 0) die_errno("cannot change into", out + 4);
            continue;
        }
        if (strncmp(out, "env:", 4) == 0) {
            char *eq = strchr(out + 4, '=');
            if (eq) {
                *eq = 0;
                const char *old = getenv(out + 4);
                char val[PATH_MAX * 3];
                snprintf(val, sizeof val, "%s%s%s", eq + 1, old && *old ? ":" : "", old ? old : "");
                setenv(out + 4, val, 1);
            }
            continue;
        }
        if (n >= max) die("too many JVM options in", path);
        args[n++] = strdup(out);
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv) {
    if (argc > 0 && argv[0]) prog = argv[0];
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0 && strchr(prog, '/')) fd = open(prog, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die_errno("cannot open own executable", prog);
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < TRAILER_SIZE) die("no payload in", prog);
    unsigned char trailer[TRAILER_SIZE];
    if (lseek(fd, end - TRAILER_SIZE, SEEK_SET) < 0) die_errno("cannot seek in", prog);
    read_fully(fd, trailer, TRAILER_SIZE, "trailer");
    if (memcmp(trailer, "VMCONFIG-PAYLOAD", 16) != 0) die("no payload in", prog);
    char hash[33];
    memcpy(hash, trailer + 32, 32);
    hash[32] = 0;
    for (int i = 0; i < 32; i++) {
        if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f'))) die("bad payload hash", prog);
    }
    char dir[PATH_MAX];
    ensure_unpacked(fd, le64(trailer + 16), le64(trailer + 24), hash, dir, sizeof dir);
    close(fd);

    char *args[MAX_ARGS + 8];
    char java[PATH_MAX];
    snprintf(java, sizeof java, "%s/runtime/bin/java", dir);
    int n = 0;
    args[n++] = java;
    char command[PATH_MAX + 64];
    snprintf(command, sizeof command, "-Dvmconfig.plugin.command=%s", prog);
    args[n++] = command;
    n += read_args(dir, args + n, MAX_ARGS - n - 1);
    int room = MAX_ARGS + 7 - n;
    if (argc - 1 > room) die("too many arguments", prog);
    for (int i = 1; i < argc; i++) args[n++] = argv[i];
    args[n] = NULL;
    execv(java, args);
    die_errno("cannot start the Java runtime", java);
    return 1;
}
