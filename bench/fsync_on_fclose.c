/*
 * LD_PRELOAD shim for the ingest bench's reference receiver "storescp with fsync": dcmtk's storescp, made durable the
 * straightforward way. Every regular file written through stdio is fdatasynced, and its directory fsynced, when it is
 * closed. storescp closes each received instance's file before it sends the C-STORE response, so each answer then
 * follows a file and a directory flush: the work the issue asks of a durable receiver, done by dcmtk's own code.
 * It is a reference for what this disk's flushes cost, not part of Myoflow. Build: gcc -shared -fPIC -O2 -o x.so x.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fclose(FILE *stream) {
    static int (*real_fclose)(FILE *);
    if (!real_fclose) real_fclose = (int (*)(FILE *)) dlsym(RTLD_NEXT, "fclose");
    int fd = stream ? fileno(stream) : -1;
    struct stat st;
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags >= 0 && (flags & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        char link[64], path[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (fflush(stream) != 0 || fdatasync(fd) != 0) { perror("fsync_on_fclose: fdatasync"); abort(); }
        if (n > 0) {
            path[n] = '\0';
            int dir = open(dirname(path), O_RDONLY | O_DIRECTORY);
            if (dir < 0 || fsync(dir) != 0) { perror("fsync_on_fclose: directory fsync"); abort(); }
            close(dir);
        }
    }
    return real_fclose(stream);
}
