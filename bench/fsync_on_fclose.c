/*
 * LD_PRELOAD shim for the ingest bench's durable dcmtk references: dcmtk's storescp made durable by its own code
 * path. storescp closes each received instance's file before it sends the C-STORE response, so whatever this shim
 * does when a regular file written through stdio is closed happens before the answer. Two ways (FSYNC_ON_FCLOSE):
 *  - unset or "file": "storescp with fsync", the straightforward way: the file is fdatasynced and its directory
 *    fsynced (a file and a directory flush per instance: what the issue asks of a durable receiver).
 *  - "journal": "storescp with a journal", the least a durable receiver pays: the file's bytes are read back from
 *    the page cache (files opened for writing only are opened for reading too, see open_readable) and written into
 *    this process's preallocated, zero-filled journal at the next page boundary, and that journal is fdatasynced.
 *    Overwriting written blocks changes no metadata, so that is one data write and one flush per instance, as in
 *    Myoflow's spool journal; the instance file itself stays unsynced, as Myoflow's spool file does. The journals are
 *    JOURNAL_DIR/journal-* (made zero-filled and synced by the bench script); each storescp process (one per
 *    association with --fork) takes the first no other holds (flock) and wraps round in it.
 * References for what the disk's flushes cost, not part of Myoflow. Build: gcc -shared -fPIC -O2 -o x.so x.c -ldl
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what) { perror(what); abort(); }

static int journal_mode(void) {
    static int mode = -1;
    if (mode < 0) {
        const char *m = getenv("FSYNC_ON_FCLOSE");
        if (!m || !*m || strcmp(m, "file") == 0) mode = 0;
        else if (strcmp(m, "journal") == 0) mode = 1;
        else { fprintf(stderr, "fsync_on_fclose: FSYNC_ON_FCLOSE must be file or journal, not %s\n", m); abort(); }
    }
    return mode;
}

static void sync_file_and_directory(FILE *stream, int fd) {
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (fflush(stream) != 0 || fdatasync(fd) != 0) fail("fsync_on_fclose: fdatasync");
    if (n > 0) {
        path[n] = '\0';
        int dir = open(dirname(path), O_RDONLY | O_DIRECTORY);
        if (dir < 0 || fsync(dir) != 0) fail("fsync_on_fclose: directory fsync");
        close(dir);
    }
}

static int journal = -1;
static off_t journal_size, journal_at;
static char *buffer;
static size_t buffer_size;

static void claim_journal(void) {
    const char *dir = getenv("JOURNAL_DIR");
    if (!dir) { fprintf(stderr, "fsync_on_fclose: JOURNAL_DIR not set\n"); abort(); }
    DIR *d = opendir(dir);
    if (!d) fail("fsync_on_fclose: JOURNAL_DIR");
    struct dirent *e;
    char path[PATH_MAX];
    while (journal < 0 && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "journal-", 8) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int fd = open(path, O_RDWR);
        if (fd < 0) continue;
        struct stat st;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0) {
            journal = fd; journal_size = st.st_size; journal_at = 0;
        } else {
            close(fd);
        }
    }
    closedir(d);
    if (journal < 0) { fprintf(stderr, "fsync_on_fclose: no free journal in %s\n", dir); abort(); }
}

static void append_to_journal(FILE *stream, int fd) {
    struct stat st;
    if (fflush(stream) != 0 || fstat(fd, &st) != 0) fail("fsync_on_fclose: fflush");
    if (journal < 0) claim_journal();
    size_t length = ((size_t) st.st_size + 4095) & ~(size_t) 4095; // whole pages, as Myoflow's records
    if ((off_t) length > journal_size) { fprintf(stderr, "fsync_on_fclose: file larger than journal\n"); abort(); }
    if (length > buffer_size) {
        free(buffer);
        buffer = calloc(1, length);
        if (!buffer) fail("fsync_on_fclose: calloc");
        buffer_size = length;
    }
    if (pread(fd, buffer, (size_t) st.st_size, 0) != st.st_size) fail("fsync_on_fclose: pread");
    memset(buffer + st.st_size, 0, length - (size_t) st.st_size);
    if (journal_at + (off_t) length > journal_size) journal_at = 0;
    if (pwrite(journal, buffer, length, journal_at) != (ssize_t) length) fail("fsync_on_fclose: journal pwrite");
    if (fdatasync(journal) != 0) fail("fsync_on_fclose: journal fdatasync");
    journal_at += (off_t) length;
}

/* In journal mode, files opened for writing only are opened for reading too, so that fclose can read them back. */
typedef FILE *(*fopen_fn)(const char *, const char *);
static FILE *open_readable(fopen_fn *real, const char *name, const char *path, const char *mode) {
    if (!*real) *real = (fopen_fn) dlsym(RTLD_NEXT, name);
    char plus[16];
    if (journal_mode() && mode[0] == 'w' && !strchr(mode, '+') && strlen(mode) < sizeof plus - 1) {
        snprintf(plus, sizeof plus, "%s+", mode);
        mode = plus;
    }
    return (*real)(path, mode);
}
static fopen_fn real_fopen, real_fopen64;
FILE *fopen(const char *path, const char *mode) { return open_readable(&real_fopen, "fopen", path, mode); }
FILE *fopen64(const char *path, const char *mode) { return open_readable(&real_fopen64, "fopen64", path, mode); }

int fclose(FILE *stream) {
    static int (*real_fclose)(FILE *);
    if (!real_fclose) real_fclose = (int (*)(FILE *)) dlsym(RTLD_NEXT, "fclose");
    int fd = stream ? fileno(stream) : -1;
    struct stat st;
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags >= 0 && (flags & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (journal_mode()) append_to_journal(stream, fd);
        else sync_file_and_directory(stream, fd);
    }
    return real_fclose(stream);
}
