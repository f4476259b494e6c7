/*
 * fileio — file, directory and pipe I/O, the bread and butter of a recorder.
 *
 * It writes a temporary file made with mkstemp() in /tmp (a random name),
 * reads it back in odd-sized chunks, stat()s it, makes a temporary directory
 * with three files and lists it with opendir()/readdir(), sends data through a
 * pipe, and prints a checksum of everything it read.  Every read() result and
 * every byte the kernel wrote into the process (stat buffers, getdents
 * records, pipe data) must be recorded for a replay to print the same lines.
 * Exits 0 when all the data came back intact.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_SIZE 10000

static uint32_t checksum = 2166136261u; /* FNV-1a over all data read */

static void sum(const void *data, size_t n)
{
    const unsigned char *p = data;

    while (n--) {
        checksum ^= *p++;
        checksum *= 16777619u;
    }
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void file_roundtrip(void)
{
    char path[] = "/tmp/rrtui-fileio-XXXXXX";
    char out[FILE_SIZE], in[FILE_SIZE];
    struct stat st;
    size_t got = 0;
    int fd, i;

    for (i = 0; i < FILE_SIZE; i++)
        out[i] = (char)('a' + (i * 7 + i / 26) % 26);

    fd = mkstemp(path);
    if (fd < 0)
        die("mkstemp");
    printf("temp file: %s\n", path);
    if (write(fd, out, sizeof out) != (ssize_t)sizeof out)
        die("write");
    if (lseek(fd, 0, SEEK_SET) != 0)
        die("lseek");
    while (got < sizeof in) {
        ssize_t n = read(fd, in + got, 777); /* odd size: many reads */

        if (n < 0)
            die("read");
        if (n == 0)
            break;
        got += n;
    }
    close(fd);
    sum(in, got);
    printf("read back %zu bytes: %s\n", got,
           got == sizeof out && memcmp(in, out, got) == 0 ? "same" : "DIFFERENT");

    if (stat(path, &st) < 0)
        die("stat");
    printf("stat: size %lld, mode %o, links %lu\n", (long long)st.st_size,
           (unsigned)(st.st_mode & 07777), (unsigned long)st.st_nlink);
    unlink(path);
}

static void list_directory(void)
{
    char dir[] = "/tmp/rrtui-fileio-dir-XXXXXX";
    static const char *const names[] = { "gamma.txt", "alpha.txt", "beta.txt" };
    char *found[16];
    size_t nfound = 0, i;
    struct dirent *de;
    DIR *d;

    if (!mkdtemp(dir))
        die("mkdtemp");
    for (i = 0; i < 3; i++) {
        char p[sizeof dir + 32];
        FILE *f;

        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        f = fopen(p, "w");
        if (!f)
            die("fopen");
        fprintf(f, "file %zu is %s\n", i, names[i]);
        fclose(f);
    }

    d = opendir(dir);
    if (!d)
        die("opendir");
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || nfound == 16)
            continue;
        found[nfound++] = strdup(de->d_name);
    }
    closedir(d);

    qsort(found, nfound, sizeof found[0], cmp_names);
    printf("directory has %zu files:", nfound);
    for (i = 0; i < nfound; i++) {
        char p[sizeof dir + 300];
        char buf[64];
        FILE *f;
        size_t n;

        printf(" %s", found[i]);
        snprintf(p, sizeof p, "%s/%s", dir, found[i]);
        f = fopen(p, "r");
        if (!f)
            die("fopen");
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        sum(buf, n);
        unlink(p);
        free(found[i]);
    }
    printf("\n");
    rmdir(dir);
}

static void pipe_roundtrip(void)
{
    static const char msg[] = "through the pipe and back again";
    char buf[sizeof msg];
    int fds[2];
    ssize_t n;

    if (pipe(fds) < 0)
        die("pipe");
    if (write(fds[1], msg, sizeof msg) != (ssize_t)sizeof msg)
        die("write pipe");
    close(fds[1]);
    n = read(fds[0], buf, sizeof buf);
    if (n < 0)
        die("read pipe");
    close(fds[0]);
    sum(buf, n);
    printf("pipe: %zd bytes: %s\n", n, n == (ssize_t)sizeof msg ? buf : "?");
}

int main(void)
{
    file_roundtrip();
    list_directory();
    pipe_roundtrip();
    printf("checksum %08x\n", (unsigned)checksum);
    return 0;
}
