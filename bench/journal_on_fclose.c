/*
 * LD_PRELOAD shim for the ingest bench's reference receiver "storescp with a journal": dcmtk's storescp made durable
 * with one flush per instance, the least a receiver can pay for that. When a regular file written through stdio is
 * closed (opened for reading too, see open_readable; storescp closes each received instance's file before it sends the C-STORE response), its bytes are read
 * back from the page cache and written into this process's preallocated, zero-filled journal at the next page
 * boundary, and the journal is fdatasynced: an overwrite of allocated blocks changes no metadata, so that is one
 * data write and one cache flush, as in Myoflow's spool journal (the instance file itself stays unsynced, as Myoflow's
 * spool file does). The journals are JOURNAL_DIR/journal-*, made by the bench script (zero-filled, synced); each
 * storescp process (one per association with --fork) takes the first that no other holds (flock) and wraps around in
 * it. A reference for the disk's share, not part of Myoflow. Build: gcc -shared -fPIC -O2 -o x.so x.c -ldl
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int journal = -1;
static off_t journal_size, journal_at;
static char *buffer;
static size_t buffer_size;

static void fail(const char *what) { perror(what); abort(); }

static void claim_journal(void) {
    const char *dir = getenv("JOURNAL_DIR");
    if (!dir) { fprintf(stderr, "journal_on_fclose: JOURNAL_DIR not set\n"); abort(); }
    DIR *d = opendir(dir);
    if (!d) fail("journal_on_fclose: JOURNAL_DIR");
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "journal-", 8) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int fd = open(path, O_RDWR);
        if (fd < 0) continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            struct stat st;
            if (fstat(fd, &st) != 0) fail("journal_on_fclose: fstat journal");
            journal = fd; journal_size = st.st_size; journal_at = 0;
            break;
        }
        close(fd);
    }
    closedir(d);
    if (journal < 0) { fprintf(stderr, "journal_on_fclose: no free journal in %s\n", dir); abort(); }
}

/* Files opened for writing only are opened for reading too, so that fclose can read their bytes back. */
static FILE *open_readable(const char *name, const char *path, const char *mode) {
    FILE *(*real)(const char *, const char *) = (FILE *(*)(const char *, const char *)) dlsym(RTLD_NEXT, name);
    char plus[16];
    if (mode[0] == 'w' && !strchr(mode, '+') && strlen(mode) < sizeof plus - 1) {
        snprintf(plus, sizeof plus, "%s+", mode);
        mode = plus;
    }
    return real(path, mode);
}
FILE *fopen(const char *path, const char *mode) { return open_readable("fopen", path, mode); }
FILE *fopen64(const char *path, const char *mode) { return open_readable("fopen64", path, mode); }

int fclose(FILE *stream) {
    static int (*real_fclose)(FILE *);
    if (!real_fclose) real_fclose = (int (*)(FILE *)) dlsym(RTLD_NEXT, "fclose");
    int fd = stream ? fileno(stream) : -1;
    struct stat st;
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags >= 0 && (flags & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (fflush(stream) != 0 || fstat(fd, &st) != 0) fail("journal_on_fclose: fflush");
        if (journal < 0) claim_journal();
        size_t length = ((size_t) st.st_size + 4095) & ~(size_t) 4095; // whole pages, as Myoflow's records
        if ((off_t) length > journal_size) { fprintf(stderr, "journal_on_fclose: file larger than journal\n"); abort(); }
        if (length > buffer_size) {
            free(buffer);
            buffer = calloc(1, length);
            if (!buffer) fail("journal_on_fclose: calloc");
            buffer_size = length;
        }
        if (pread(fd, buffer, (size_t) st.st_size, 0) != st.st_size) fail("journal_on_fclose: pread");
        memset(buffer + st.st_size, 0, length - (size_t) st.st_size);
        if (journal_at + (off_t) length > journal_size) journal_at = 0;
        if (pwrite(journal, buffer, length, journal_at) != (ssize_t) length) fail("journal_on_fclose: pwrite");
        if (fdatasync(journal) != 0) fail("journal_on_fclose: fdatasync");
        journal_at += (off_t) length;
    }
    return real_fclose(stream);
}
